"""Find English interface words left on a page served in Chinese.

A Chinese page may still show part data as it is: MPNs, manufacturer names, parameter values,
package names, addresses and anything a customer typed. Templates mark such text with
``translate="no"`` (the HTML attribute that also tells browser translators to leave it alone)
on the element that holds it; everything else is interface and must be Chinese. Trade
abbreviations that Chinese engineers write in Latin letters (MPN, BOM, PDF, RoHS, ...) and the
store's name are allowed everywhere.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Latin words a Chinese page may show as interface text: trade abbreviations, units, the
# store's name and the names of payment and carrier brands.
ALLOWED_WORDS = frozenset(
    w.lower()
    for w in """
    Partline MPN BOM PDF RoHS REACH MSL ESD VAT CNY RMB API RFQ SKU CSV XLSX XLS Excel KiCad
    Altium EDA ERP ID SMD SMT DIP QFN QFP LQFP SOT SOIC SOP TSSOP BGA MLCC LED IC PCB
    Alipay WeChat UnionPay SF EMS JD Email E-mail IP URL HTTP HTTPS JSON OpenAPI
    Baidu Bing QR OK PCS pcs kg mm TSV TXT JLCPCB Mouser DigiKey LCSC Cookie ISO JPEG PNG WebP
    """.split()  # noqa: SIM905 - a word list reads better as text
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REFERENCE = re.compile(r"\b[A-Z]{2,4}-[A-Z0-9][A-Z0-9-]*\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")
SKIP_CONTENT = {"script", "style", "noscript", "template", "code", "pre"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}
# Attributes read out or shown to a person.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, text below is exempt)
        self.found: list[str] = []

    def _exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        exempt = (
            self._exempt()
            or tag in SKIP_CONTENT
            or attributes.get("translate") == "no"
            or "lang" in attributes and not (attributes["lang"] or "").startswith("zh")
        )
        if not exempt:
            for name in SHOWN_ATTRIBUTES:
                if attributes.get(name):
                    self._check(attributes[name])
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self._check(attributes.get("value") or "")
        if tag not in VOID:
            self.stack.append((tag, exempt))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._exempt():
            self._check(data)

    def _check(self, text: str) -> None:
        # Addresses and references (SO-7K2M9QX, PO-4711) are data, not interface wording.
        wording = REFERENCE.sub(" ", EMAIL.sub(" ", text))
        words = [w for w in WORD.findall(wording) if w.lower().strip("'-") not in ALLOWED_WORDS]
        if words:
            self.found.append(" ".join(text.split())[:120])


def english_ui_strings(html: str) -> list[str]:
    """The pieces of interface text on ``html`` that hold English words (empty when none)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.found
