"""Top-view outline drawings of part packages, for parts without a photo.

A package name ("0603", "SOT-23-5", "LQFP-64", "SMD,D6.3x5.4mm", "6.0x6.0x4.5mm") is parsed
into an :class:`Outline` (body size in mm, pins and where they sit), and drawn as a small
SVG in millimetres: body, pins or pads, exposed pad, pin-1 mark and a dimension label.
Pure functions of the package name, so a drawing can be cached for good.
A package the parser does not know is drawn as a plain body with its name.
"""

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# Imperial chip size -> (length, width) in mm.
CHIP_SIZES = {
    "01005": (0.4, 0.2), "0201": (0.6, 0.3), "0402": (1.0, 0.5), "0603": (1.6, 0.8),
    "0805": (2.0, 1.25), "1206": (3.2, 1.6), "1210": (3.2, 2.5), "1218": (3.2, 4.6),
    "1812": (4.5, 3.2), "2010": (5.0, 2.5), "2512": (6.4, 3.2),
}  # fmt: skip

# Two-terminal SMD diode bodies: (length, width, lead length out of the body).
DIODE_SIZES = {
    "SOD-123": (2.7, 1.6, 0.6), "SOD-123F": (2.7, 1.6, 0.5), "SOD-323": (1.7, 1.25, 0.4),
    "SOD-523": (1.2, 0.8, 0.2), "SOD-923": (0.8, 0.6, 0.1), "SMA": (4.3, 2.6, 0.7),
    "SMB": (4.3, 3.6, 0.7), "SMC": (6.9, 5.9, 0.7), "SMAF": (3.5, 2.6, 0.6),
    "MINIMELF": (3.5, 1.5, 0.0), "MELF": (5.0, 2.5, 0.0),
}  # fmt: skip

# Axial through-hole diodes: (body length, body diameter).
AXIAL_SIZES = {"DO-35": (4.0, 1.9), "DO-41": (5.2, 2.7), "DO-15": (7.6, 3.6), "DO-201": (9.5, 5.3)}

# Small-outline transistors: (length, width, pins on the far side, pins on the near side,
# pitch, tab width or 0). "far" is the top edge of the drawing, "near" the bottom.
SOT_SIZES = {
    "SOT-23": (2.9, 1.3, 1, 2, 0.95, 0), "SOT-23-3": (2.9, 1.3, 1, 2, 0.95, 0),
    "SOT-23-5": (2.9, 1.6, 2, 3, 0.95, 0), "SOT-23-6": (2.9, 1.6, 3, 3, 0.95, 0),
    "TSOT-23-5": (2.9, 1.6, 2, 3, 0.95, 0), "TSOT-23-6": (2.9, 1.6, 3, 3, 0.95, 0),
    "TSOT-23-8": (2.9, 1.6, 4, 4, 0.65, 0), "SOT-23-8": (2.9, 1.6, 4, 4, 0.65, 0),
    "SC-70": (2.0, 1.25, 1, 2, 0.65, 0), "SOT-323": (2.0, 1.25, 1, 2, 0.65, 0),
    "SC-70-5": (2.0, 1.25, 2, 3, 0.65, 0), "SC-70-6": (2.0, 1.25, 3, 3, 0.65, 0),
    "SOT-363": (2.0, 1.25, 3, 3, 0.65, 0), "SOT-353": (2.0, 1.25, 2, 3, 0.65, 0),
    "SOT-563": (1.6, 1.2, 3, 3, 0.5, 0), "SOT-523": (1.6, 0.8, 1, 2, 0.5, 0),
    "SOT-223": (6.5, 3.5, 1, 3, 2.3, 3.0), "SOT-89": (4.5, 2.5, 1, 3, 1.5, 1.7),
    "TO-252": (6.6, 6.1, 1, 2, 4.57, 5.3), "DPAK": (6.6, 6.1, 1, 2, 4.57, 5.3),
    "TO-263": (10.2, 9.2, 1, 2, 5.08, 8.0), "D2PAK": (10.2, 9.2, 1, 2, 5.08, 8.0),
}  # fmt: skip

# Gull-wing dual rows: family -> (width, pitch, length for a pin count).
_SOIC_LENGTH = {8: 4.9, 14: 8.65, 16: 9.9, 18: 11.55, 20: 12.8, 24: 15.4, 28: 17.9}
_TSSOP_LENGTH = {8: 3.0, 14: 5.0, 16: 5.0, 20: 6.5, 24: 7.8, 28: 9.7, 38: 9.7}
_SSOP_LENGTH = {8: 3.0, 14: 6.2, 16: 6.2, 20: 7.2, 24: 8.2, 28: 10.2}
# Quad flat packs with leads: pin count -> (body side, pitch) by family.
_LQFP = {32: (7.0, 0.8), 44: (10.0, 0.8), 48: (7.0, 0.5), 52: (10.0, 0.65), 64: (10.0, 0.5),
         80: (12.0, 0.5), 100: (14.0, 0.5), 128: (14.0, 0.4), 144: (20.0, 0.5),
         176: (24.0, 0.5), 208: (28.0, 0.5)}  # fmt: skip
# Leadless quads: pin count -> (body side, pitch).
_QFN = {8: (2.0, 0.5), 12: (3.0, 0.5), 16: (3.0, 0.5), 20: (4.0, 0.5), 24: (4.0, 0.5),
        28: (5.0, 0.5), 32: (5.0, 0.5), 36: (6.0, 0.5), 40: (5.0, 0.4), 44: (7.0, 0.5),
        48: (7.0, 0.5), 56: (7.0, 0.4), 64: (9.0, 0.5), 68: (8.0, 0.4), 72: (10.0, 0.5)}  # noqa: E501
# Leadless duals: pin count -> (length along the rows, width, pitch).
_DFN = {2: (1.0, 0.6, 0.65), 3: (1.0, 0.6, 0.35), 4: (1.0, 1.0, 0.65), 6: (2.0, 2.0, 0.65),
        8: (3.0, 3.0, 0.65), 10: (3.0, 3.0, 0.5), 12: (3.0, 3.0, 0.45), 14: (4.0, 3.0, 0.5)}  # noqa: E501
_DHVQFN = {14: (3.0, 2.5), 16: (3.5, 2.5), 20: (4.5, 2.5), 24: (5.5, 3.5)}
_CRYSTAL_SIZES = {"1612": (1.6, 1.2), "2016": (2.0, 1.6), "2520": (2.5, 2.0), "3225": (3.2, 2.5),
                  "5032": (5.0, 3.2), "7050": (7.0, 5.0)}  # fmt: skip

_NAME_PINS = re.compile(r"^([A-Z0-9]+?)[- ]?(\d+)(?:[- ](EP|PAD))?$")
_NUMBER = r"(\d+(?:\.\d+)?)"
_DIMS = re.compile(rf"{_NUMBER}\s*[x×*]\s*{_NUMBER}(?:\s*[x×*]\s*{_NUMBER})?", re.I)
_HEADER = re.compile(r"(?:(\d+)\s*[x×]\s*(\d+)|(\d+)\s*P(?:IN|OS)?)", re.I)


@dataclass(frozen=True)
class Pin:
    x: float
    y: float
    width: float
    height: float
    round: bool = False


@dataclass
class Outline:
    """What is drawn: body size (mm), pins, optional exposed pad, and the labels."""

    name: str
    family: str
    length: float
    width: float
    pins: list[Pin] = field(default_factory=list)
    exposed_pad: tuple[float, float] | None = None
    round_body: float = 0.0  # diameter of a round top (electrolytic can, TO-92)
    tab: tuple[float, float, float, float] | None = None
    marker: str = "dot"  # dot (pin 1), band (cathode), none
    known: bool = True
    height: float = 0.0  # seated height when the name gives it

    @property
    def pin_count(self) -> int:
        return len(self.pins)

    @property
    def dimension_label(self) -> str:
        if self.family == "electrolytic":
            return f"Ø{_mm(self.round_body)} × {_mm(self.height)} mm"
        long, short = max(self.length, self.width), min(self.length, self.width)
        if self.height:
            return f"{_mm(long)} × {_mm(short)} × {_mm(self.height)} mm"
        return f"{_mm(long)} × {_mm(short)} mm"


def _mm(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _row(count: int, pitch: float, *, y: float, width: float, height: float,
         x0: float = 0.0, reverse: bool = False) -> list[Pin]:  # fmt: skip
    start = x0 - pitch * (count - 1) / 2
    xs = [start + i * pitch for i in range(count)]
    if reverse:
        xs.reverse()
    return [Pin(x, y, width, height) for x in xs]


def _column(count: int, pitch: float, *, x: float, width: float, height: float,
            reverse: bool = False) -> list[Pin]:  # fmt: skip
    start = -pitch * (count - 1) / 2
    ys = [start + i * pitch for i in range(count)]
    if reverse:
        ys.reverse()
    return [Pin(x, y, width, height) for y in ys]


def _two_terminal(name, family, length, width, *, pad_length, outside=0.0, marker="none"):
    pad = Pin(-length / 2 - outside + pad_length / 2, 0, pad_length, width * 0.9)
    other = Pin(length / 2 + outside - pad_length / 2, 0, pad_length, width * 0.9)
    return Outline(name, family, length, width, [pad, other], marker=marker)


def _dual_row(name, family, pins, length_along, width, pitch, *, lead=0.0, leadless=False,
              exposed=None) -> Outline:  # fmt: skip
    """Pins down the left and right sides, pin 1 top left, counted anticlockwise."""
    per_side = pins // 2
    pin_width = 0.5 if leadless else max(lead, 0.6)
    pin_height = pitch * 0.55
    inset = pin_width / 2 if leadless else -lead / 2
    left = _column(per_side, pitch, x=-width / 2 + inset, width=pin_width, height=pin_height)
    right = _column(per_side, pitch, x=width / 2 - inset, width=pin_width, height=pin_height,
                    reverse=True)  # fmt: skip
    outline = Outline(name, family, width, length_along, left + right, exposed_pad=exposed)
    return outline


def _quad(name, family, pins, side_x, side_y, pitch, *, per_x=None, lead=0.0, leadless=False,
          exposed=None) -> Outline:  # fmt: skip
    """Pins on all four sides, pin 1 at the top of the left side, anticlockwise."""
    if per_x is None:
        per_x = pins // 4
    per_y = (pins - 2 * per_x) // 2
    depth = 0.5 if leadless else max(lead, 0.6)
    thin = pitch * 0.55
    inset = depth / 2 if leadless else -lead / 2
    pads = _column(per_y, pitch, x=-side_x / 2 + inset, width=depth, height=thin)
    pads += _row(per_x, pitch, y=side_y / 2 - inset, width=thin, height=depth)
    pads += _column(per_y, pitch, x=side_x / 2 - inset, width=depth, height=thin, reverse=True)
    pads += _row(per_x, pitch, y=-side_y / 2 + inset, width=thin, height=depth, reverse=True)
    return Outline(name, family, side_x, side_y, pads, exposed_pad=exposed)


def _sot(name, length, width, far, near, pitch, tab) -> Outline:
    lead = 0.5 if not tab else 1.0
    pins = _row(near, pitch, y=width / 2 + lead / 2, width=min(0.45, pitch * 0.6), height=lead)
    tab_box = None
    if tab:
        tab_box = (-tab / 2, -width / 2 - lead, tab, lead + width * 0.35)
        pins.append(Pin(0, -width / 2 - lead / 2, tab, lead))
    else:
        pins += _row(far, pitch, y=-width / 2 - lead / 2, width=min(0.45, pitch * 0.6),
                     height=lead, reverse=True)  # fmt: skip
    return Outline(name, "sot", length, width, pins, tab=tab_box)


def _bga(name, count) -> Outline:
    columns = next((c for c in range(int(count**0.5), 0, -1) if count % c == 0), 1)
    rows = count // columns
    pitch = 0.4
    length, width = columns * pitch + 0.1, rows * pitch + 0.1
    pins = [
        Pin(-pitch * (columns - 1) / 2 + c * pitch, -pitch * (rows - 1) / 2 + r * pitch,
            pitch * 0.6, pitch * 0.6, round=True)
        for r in range(rows) for c in range(columns)
    ]  # fmt: skip
    return Outline(name, "bga", length, width, pins)


def _generic(name: str, pins: int = 0) -> Outline:
    """An unknown package: a plain body, with pins down two sides when their count is known."""
    if pins >= 2:
        per_side = (pins + 1) // 2
        length = max(3.0, per_side * 1.27 + 0.6)
        outline = _dual_row(name, "generic", per_side * 2, length, 4.0, 1.27, lead=0.8)
        outline.pins = outline.pins[:pins]
        outline.known = False
        return outline
    return Outline(name, "generic", 6.0, 4.0, marker="none", known=False)


def _header(name: str, rows: int, per_row: int, *, pitch: float = 2.54) -> Outline:
    length, width = per_row * pitch, rows * pitch
    pins = [
        Pin(-length / 2 + pitch / 2 + c * pitch, -width / 2 + pitch / 2 + r * pitch,
            pitch * 0.4, pitch * 0.4, round=True)
        for c in range(per_row) for r in range(rows)
    ]  # fmt: skip
    return Outline(name, "header", length, width, pins)


def package_outline(package: str, *, pins: int | None = None) -> Outline:
    """The outline of a package from its name; ``pins`` helps generic names ("SMD",
    "Through hole") of connectors."""
    name = (package or "").strip()
    key = re.sub(r"\s+", " ", name.upper())
    if key in CHIP_SIZES:
        length, width = CHIP_SIZES[key]
        return _two_terminal(name, "chip", length, width, pad_length=max(0.15, length * 0.22))
    if key in DIODE_SIZES:
        length, width, lead = DIODE_SIZES[key]
        outline = _two_terminal(name, "diode", length, width,
                                pad_length=max(lead * 1.6, length * 0.2), outside=lead,
                                marker="band")  # fmt: skip
        return outline
    if key in AXIAL_SIZES:
        length, diameter = AXIAL_SIZES[key]
        wire = 0.6
        pins_ = [Pin(-length / 2 - 2.5, 0, 1.4, 1.4, round=True),
                 Pin(length / 2 + 2.5, 0, 1.4, 1.4, round=True)]  # fmt: skip
        outline = Outline(name, "axial", length, diameter, pins_, marker="band")
        outline.tab = (-length / 2 - 2.5, -wire / 2, length + 5.0, wire)
        return outline
    if key in SOT_SIZES:
        return _sot(name, *SOT_SIZES[key])
    if key in ("TO-220", "TO-220-3", "TO-220AB"):
        pins_ = _row(3, 2.54, y=9.0, width=0.8, height=3.0)
        outline = Outline(name, "to-220", 10.0, 15.0, pins_, marker="none")
        outline.tab = (-5.0, -7.5, 10.0, 6.0)
        return outline
    if key in ("TO-92", "TO-92-3"):
        pins_ = _row(3, 1.27, y=0.6, width=0.5, height=0.5)
        outline = Outline(name, "to-92", 4.8, 3.8, pins_, round_body=4.8, marker="none")
        return outline
    if key == "MODULE":
        return _generic(name)
    if "HC-49" in key or "HC49" in key:
        smd = "SMD" in key
        length, width = (11.4, 4.7) if smd else (11.0, 4.65)
        pad, outside = (2.4, 1.0) if smd else (1.2, -2.0)
        return _two_terminal(name, "crystal", length, width, pad_length=pad, outside=outside)
    electrolytic = re.match(r"^(?:SMD,\s*)?D(\d+(?:\.\d+)?)X(\d+(?:\.\d+)?)MM$", key)
    if electrolytic:
        diameter, height = float(electrolytic[1]), float(electrolytic[2])
        side = diameter + 0.3
        pad = Pin(-side / 2 - 0.3, 0, side * 0.3, max(0.6, diameter * 0.12))
        pad2 = Pin(side / 2 + 0.3, 0, side * 0.3, max(0.6, diameter * 0.12))
        outline = Outline(name, "electrolytic", side, side, [pad, pad2], round_body=diameter,
                          marker="none")  # fmt: skip
        outline.height = height
        return outline
    match = _NAME_PINS.match(key)
    if match:
        family, count, suffix = match[1], int(match[2]), match[3]
        drawn = _by_family(name, family, count, exposed=suffix is not None)
        if drawn is not None:
            return drawn
    if key.isdigit() and len(key) == 4:
        return _square_part(name, key)
    header = _HEADER.search(key) if any(w in key for w in ("HDR", "HEADER", "PIN")) else None
    if header:
        if header[1]:
            return _header(name, int(header[1]), int(header[2]))
        return _header(name, 1, int(header[3]))
    dims = _DIMS.search(key)
    if dims:
        a, b, c = dims[1], dims[2], dims[3]
        length, width = float(a), float(b)
        if c is not None:  # L x W x H: a power inductor or similar block
            outline = _inductor(name, length, width)
            outline.height = float(c)
            return outline
        return _four_pad(name, length, width)
    if pins and key in ("SMD", "THROUGH HOLE", "TH", "THT", "DIP"):
        rows = 2 if pins > 12 and pins % 2 == 0 else 1
        return _header(name, rows, pins // rows)
    return _generic(name, pins or 0)


def _square_part(name: str, code: str) -> Outline:
    """A four-digit metric code without a family: crystals (3225) or inductors (6045)."""
    if code in _CRYSTAL_SIZES:
        return _four_pad(name, *_CRYSTAL_SIZES[code])
    length, width = int(code[:2]) / 10, int(code[:2]) / 10
    return _inductor(name, length, width)


def _inductor(name: str, length: float, width: float) -> Outline:
    return _two_terminal(name, "inductor", length, width, pad_length=length * 0.25)


def _four_pad(name: str, length: float, width: float) -> Outline:
    """Ceramic crystal or oscillator can: a pad under each corner."""
    pad_x, pad_y = length * 0.32, width * 0.32
    dx, dy = length / 2 - pad_x / 2 - length * 0.05, width / 2 - pad_y / 2 - width * 0.05
    pins = [Pin(-dx, dy, pad_x, pad_y), Pin(dx, dy, pad_x, pad_y),
            Pin(dx, -dy, pad_x, pad_y), Pin(-dx, -dy, pad_x, pad_y)]  # fmt: skip
    return Outline(name, "crystal", length, width, pins)


def _by_family(name: str, family: str, count: int, *, exposed: bool) -> Outline | None:
    if family in ("SOIC", "SO", "SOP") and count in _SOIC_LENGTH:
        body = 7.5 if count >= 18 or (family == "SO" and count == 20) else 3.9
        pad = (2.4, 3.3) if exposed else None
        return _dual_row(name, "soic", count, _SOIC_LENGTH[count], body, 1.27, lead=1.0,
                         exposed=pad)  # fmt: skip
    if family in ("TSSOP", "HTSSOP") and count in _TSSOP_LENGTH:
        pitch = 0.5 if count == 38 else 0.65
        pad = (2.5, _TSSOP_LENGTH[count] * 0.6) if exposed or family == "HTSSOP" else None
        return _dual_row(name, "tssop", count, _TSSOP_LENGTH[count], 4.4, pitch, lead=0.8,
                         exposed=pad)  # fmt: skip
    if family in ("MSOP", "VSSOP", "US") and count in (8, 10):
        return _dual_row(name, "msop", count, 3.0, 3.0, 0.65 if count == 8 else 0.5, lead=0.8)
    if family in ("SSOP", "QSOP") and count in _SSOP_LENGTH:
        width = 3.9 if family == "QSOP" else 5.3
        pitch = 0.635 if family == "QSOP" else 0.65
        return _dual_row(name, "ssop", count, _SSOP_LENGTH[count], width, pitch, lead=1.0)
    if family in ("DIP", "PDIP") and 4 <= count <= 48 and count % 2 == 0:
        outline = _dual_row(name, "dip", count, count / 2 * 2.54, 6.35, 2.54, lead=1.3)
        outline.pins = [Pin(p.x, p.y, 1.3, 1.3, round=True) for p in outline.pins]
        return outline
    if family in ("LQFP", "TQFP", "QFP") and count in _LQFP:
        side, pitch = _LQFP[count]
        return _quad(name, "qfp", count, side, side, pitch, lead=1.0)
    if family in ("QFN", "VQFN", "UFQFPN", "WQFN", "UQFN", "HVQFN", "LFCSP") and count in _QFN:
        side, pitch = _QFN[count]
        return _quad(name, "qfn", count, side, side, pitch, leadless=True,
                     exposed=(side * 0.55, side * 0.55))  # fmt: skip
    if family == "DHVQFN" and count in _DHVQFN:
        length, width = _DHVQFN[count]
        per_x = 1
        return _quad(name, "qfn", count, width, length, 0.5, per_x=per_x, leadless=True,
                     exposed=(width * 0.45, length * 0.6))  # fmt: skip
    if family in ("DFN", "WSON", "SON", "USON", "X2SON", "TDFN", "UDFN", "VSON") and count in _DFN:
        length, width, pitch = _DFN[count]
        if count == 4 and family == "X2SON":
            return _quad(name, "dfn", 4, 1.0, 1.0, 0.5, per_x=0, leadless=True,
                         exposed=(0.4, 0.4))  # fmt: skip
        return _dual_row(name, "dfn", count, length, width, pitch, leadless=True,
                         exposed=(width * 0.4, length * 0.75))  # fmt: skip
    if family == "LGA" and 4 <= count <= 24:
        side = {4: 1.0, 6: 2.0, 8: 2.0, 10: 2.0, 12: 2.0, 14: 2.5, 16: 3.0}.get(count, 3.0)
        per_x = max(1, count // 4 - 1) if count > 4 else 1
        return _quad(name, "lga", count, side, side * (1.2 if count == 14 else 1), 0.5,
                     per_x=per_x, leadless=True)  # fmt: skip
    if family in ("BGA", "TFBGA", "WLCSP", "DSBGA", "UFBGA", "LFBGA", "CSP") and count >= 1:
        return _bga(name, count)
    if family in ("HDR", "HEADER", "PINHEADER", "CONN"):
        return _header(name, 1, count)
    return None


# --- drawing ---------------------------------------------------------------------------------

_BODY = 'fill="#e9ecef" stroke="#343a40"'
_PIN = 'fill="#b8bcc2" stroke="#495057"'
_PADS_ON_TOP = frozenset({"chip", "inductor", "crystal", "qfn", "dfn", "lga", "bga", "header"})
_EPAD = 'fill="#cfd3d8" stroke="#6c757d" stroke-dasharray="0.2 0.15"'


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def outline_svg(package: str, *, pins: int | None = None) -> str:
    """The outline drawn as a standalone SVG document (mm user units)."""
    return render_svg(package_outline(package, pins=pins))


def render_svg(outline: Outline) -> str:
    xs = [outline.length / 2] + [abs(p.x) + p.width / 2 for p in outline.pins]
    ys = [outline.width / 2] + [abs(p.y) + p.height / 2 for p in outline.pins]
    if outline.round_body:
        xs.append(outline.round_body / 2)
        ys.append(outline.round_body / 2)
    if outline.tab:
        x, y, w, h = outline.tab
        xs += [abs(x), abs(x + w)]
        ys += [abs(y), abs(y + h)]
    half_x, half_y = max(xs), max(ys)
    extent = max(half_x, half_y) * 2
    margin = extent * 0.12
    text_size = extent * 0.13
    band = text_size * 2.5
    view_w = max(half_x * 2, extent * 0.9) + 2 * margin
    top = -half_y - margin
    view_h = half_y * 2 + 2 * margin + band
    stroke = _n(extent * 0.012)
    title = escape(outline.name or "?")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_n(-view_w / 2)} {_n(top)} '
        f'{_n(view_w)} {_n(view_h)}" role="img" stroke-width="{stroke}" '
        f'font-family="sans-serif" data-family="{outline.family}">',
        f"<title>{title}</title>",
    ]
    if outline.tab and outline.family in ("to-220", "axial"):
        x, y, w, h = outline.tab
        parts.append(
            f'<rect class="tab" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" '
            f"{_PIN}/>"
        )
    on_top = outline.family in _PADS_ON_TOP
    if not on_top:
        parts += _pins(outline)
    body_x, body_y = -outline.length / 2, -outline.width / 2
    if outline.family == "to-92":
        radius = outline.round_body / 2
        parts.append(
            f'<path class="body" d="M {_n(-radius)} {_n(radius * 0.3)} A {_n(radius)} '
            f'{_n(radius)} 0 0 1 {_n(radius)} {_n(radius * 0.3)} Z" {_BODY}/>'
        )
    elif outline.family == "axial":
        parts.append(
            f'<rect class="body" x="{_n(body_x)}" y="{_n(body_y)}" width="{_n(outline.length)}" '
            f'height="{_n(outline.width)}" rx="{_n(outline.width * 0.3)}" {_BODY}/>'
        )
    else:
        parts.append(
            f'<rect class="body" x="{_n(body_x)}" y="{_n(body_y)}" width="{_n(outline.length)}" '
            f'height="{_n(outline.width)}" rx="{_n(min(outline.length, outline.width) * 0.04)}" '
            f"{_BODY}/>"
        )
    if outline.family == "electrolytic":
        radius = outline.round_body / 2
        parts.append(
            f'<circle class="can" cx="0" cy="0" r="{_n(radius)}" fill="#f8f9fa" '
            f'stroke="#343a40"/>'
        )
        parts.append(
            f'<path class="polarity" d="M {_n(-radius * 0.7)} {_n(-radius * 0.7)} A {_n(radius)} '
            f'{_n(radius)} 0 0 0 {_n(-radius * 0.7)} {_n(radius * 0.7)}" fill="none" '
            f'stroke="#343a40" stroke-width="{_n(extent * 0.04)}"/>'
        )
    if outline.family == "to-220":
        x, y, w, h = outline.tab
        parts.append(
            f'<circle class="hole" cx="0" cy="{_n(y + h * 0.5)}" r="{_n(1.8)}" fill="#fff" '
            f'stroke="#343a40"/>'
        )
    if on_top:
        parts += _pins(outline)
    if outline.exposed_pad:
        w, h = outline.exposed_pad
        parts.append(
            f'<rect class="epad" x="{_n(-w / 2)}" y="{_n(-h / 2)}" width="{_n(w)}" '
            f'height="{_n(h)}" {_EPAD}/>'
        )
    if outline.marker == "band":
        band_w = outline.length * 0.12
        parts.append(
            f'<rect class="cathode" x="{_n(body_x + outline.length * 0.1)}" y="{_n(body_y)}" '
            f'width="{_n(band_w)}" height="{_n(outline.width)}" fill="#6c757d"/>'
        )
    elif outline.marker == "dot" and outline.pins and outline.family not in ("chip", "inductor"):
        radius = min(outline.length, outline.width) * 0.07
        first = outline.pins[0]
        dot_x = max(body_x + radius * 2, min(-body_x - radius * 2, first.x * 0.7))
        dot_y = max(body_y + radius * 2, min(-body_y - radius * 2, first.y * 0.7))
        if outline.family in ("qfp", "qfn", "lga", "dfn", "soic", "tssop", "msop", "ssop",
                              "dip", "generic", "bga"):  # fmt: skip
            dot_x = body_x + radius * 2.2
            dot_y = body_y + radius * 2.2
        parts.append(
            f'<circle class="pin1" cx="{_n(dot_x)}" cy="{_n(dot_y)}" r="{_n(radius)}" '
            f'fill="#495057"/>'
        )
    if not outline.known:
        parts.append(
            f'<text class="name" x="0" y="{_n(text_size * 0.35)}" text-anchor="middle" '
            f'font-size="{_n(min(text_size, outline.length / max(4, len(outline.name)) * 1.6))}" '
            f'fill="#343a40">{title}</text>'
        )
    lines = [outline.name, outline.dimension_label] if outline.known else [outline.name]
    longest = max(len(line) for line in lines) or 1
    size = min(text_size, view_w / (0.62 * longest))
    for number, line in enumerate(lines):
        label_y = half_y + margin + size * (1.0 + 1.2 * number)
        parts.append(
            f'<text class="label" x="0" y="{_n(label_y)}" text-anchor="middle" '
            f'font-size="{_n(size)}" fill="#495057">{escape(line)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _pins(outline: Outline) -> list[str]:
    parts = []
    for pin in outline.pins:
        if pin.round:
            parts.append(
                f'<circle class="pin" cx="{_n(pin.x)}" cy="{_n(pin.y)}" '
                f'r="{_n(pin.width / 2)}" {_PIN}/>'
            )
        else:
            parts.append(
                f'<rect class="pin" x="{_n(pin.x - pin.width / 2)}" '
                f'y="{_n(pin.y - pin.height / 2)}" width="{_n(pin.width)}" '
                f'height="{_n(pin.height)}" {_PIN}/>'
            )
    return parts
