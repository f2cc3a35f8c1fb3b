"""Photos and lab reports sent with a return: checked, cleaned, and given a random name.

A photo is opened with Pillow (JPEG, PNG or WebP only), verified, refused before its pixels
are decoded when its dimensions are too large (a decompression bomb), and re-encoded from
its bare pixels to JPEG (PNG when it has transparency), so no EXIF, GPS, ICC or text chunk
and nothing appended to the file survives. A lab report must be a PDF.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 88
_MB = 1024 * 1024


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    content_type: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return self.content.size


def _too_big(upload, limit: int) -> bool:
    size = getattr(upload, "size", None)
    return size is not None and size > limit


def clean_photo(upload) -> CleanPhoto:
    """The photo re-encoded without metadata, or ``ValidationError`` saying what is wrong."""
    name = getattr(upload, "name", "") or _("the photo")
    max_bytes = settings.RETURNS_MAX_PHOTO_BYTES
    if _too_big(upload, max_bytes):
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB: send a smaller photo.")
            % {"name": name, "mb": max_bytes // _MB},
            code="photo_too_large",
        )
    not_image = ValidationError(
        _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}, code="not_an_image"
    )
    max_pixels = settings.RETURNS_MAX_PHOTO_PIXELS
    too_many_pixels = ValidationError(
        _("%(name)s has more than the %(mp)s megapixels accepted for a photo.")
        % {"name": name, "mp": max_pixels // 1_000_000},
        code="photo_too_many_pixels",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=ACCEPTED_FORMATS) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise too_many_pixels
                probe.verify()
            upload.seek(0)
            with Image.open(upload, formats=ACCEPTED_FORMATS) as opened:
                opened.load()
                picture = ImageOps.exif_transpose(opened)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels from error
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise not_image from error
    finally:
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    converted = picture.convert(mode)
    # Bare pixels only: a new image carries no info dict (EXIF, ICC, PNG text, comments).
    bare = Image.frombytes(mode, converted.size, converted.tobytes())
    buffer = io.BytesIO()
    if has_alpha:
        bare.save(buffer, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        bare.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return CleanPhoto(
        content=ContentFile(buffer.getvalue(), name=f"photo.{extension}"),
        content_type=content_type,
        width=bare.width,
        height=bare.height,
    )


def clean_photos(uploads) -> list[CleanPhoto]:
    """Every photo cleaned, or one ``ValidationError`` listing each problem (nothing kept)."""
    uploads = [upload for upload in uploads or [] if upload]
    limit = settings.RETURNS_MAX_PHOTOS
    if len(uploads) > limit:
        raise ValidationError(
            _("Send at most %(limit)s photos; you chose %(count)s.")
            % {"limit": limit, "count": len(uploads)},
            code="too_many_photos",
        )
    cleaned, problems = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload))
        except ValidationError as error:
            problems.extend(error.error_list)
    if problems:
        raise ValidationError(problems)
    return cleaned


def clean_report(upload) -> ContentFile:
    """A lab report: a PDF of at most RETURNS_MAX_REPORT_BYTES, kept under a random name."""
    if upload is None:
        raise ValidationError(_("Attach the lab's report (a PDF)."), code="no_report")
    limit = settings.RETURNS_MAX_REPORT_BYTES
    if _too_big(upload, limit):
        raise ValidationError(
            _("The report is larger than %(mb)s MB.") % {"mb": limit // _MB},
            code="report_too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The report is larger than %(mb)s MB.") % {"mb": limit // _MB},
            code="report_too_large",
        )
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("The report must be a PDF file."), code="report_not_pdf")
    return ContentFile(data, name="report.pdf")
