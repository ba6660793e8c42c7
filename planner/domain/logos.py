"""The one check every logo passes before it is stored, from the web form or from an imported plan."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4000


class LogoError(ValueError):
    """A logo the planner does not store; `reason` is "size", "format" or "pixels"."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


def check_logo(data: bytes) -> None:
    """Raise LogoError unless `data` is a PNG or JPEG of at most 1 MB and 4000 pixels wide and high."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError("size", f"larger than {MAX_LOGO_BYTES} bytes")
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
            kind, size = picture.format, picture.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise LogoError("format", "not a PNG or JPEG image") from None
    if kind not in ("PNG", "JPEG"):
        raise LogoError("format", "not a PNG or JPEG image")
    if max(size) > MAX_LOGO_PIXELS:
        raise LogoError("pixels", f"more than {MAX_LOGO_PIXELS} pixels wide or high")
