"""A tiny PNG writer on zlib alone, so that pictures of weights need no imaging library."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np

from neurograph.errors import ShapeError

__all__ = ["png_bytes"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_bytes(pixels: Any) -> bytes:
    """Encode an image as PNG.

    Parameters
    ----------
    pixels : array_like of uint8, shape (h, w) or (h, w, 3)
        Grey levels or RGB colours, one row of pixels after another, top row first.

    Returns
    -------
    bytes
        A complete PNG file (8 bits per channel, no interlacing).

    Raises
    ------
    ShapeError
        If `pixels` is not a non-empty 2-D grey or 3-D RGB array.

    Examples
    --------
    >>> import numpy as np
    >>> data = png_bytes(np.zeros((2, 3), dtype=np.uint8))
    >>> data[:8] == b"\\x89PNG\\r\\n\\x1a\\n", len(data) > 50
    (True, True)
    """
    image = np.asarray(pixels)
    if image.ndim == 2:
        colour_type = 0  # grey
    elif image.ndim == 3 and image.shape[2] == 3:
        colour_type = 2  # RGB
    else:
        msg = f"expected pixels of shape (h, w) or (h, w, 3), got {image.shape}"
        raise ShapeError(msg)
    if image.shape[0] == 0 or image.shape[1] == 0:
        msg = f"expected a non-empty image, got shape {image.shape}"
        raise ShapeError(msg)
    image = np.ascontiguousarray(np.clip(image, 0, 255).astype(np.uint8))
    height, width = image.shape[:2]
    rows = image.reshape(height, -1)
    # each row starts with its filter type; 0 = no filter
    raw = np.hstack([np.zeros((height, 1), dtype=np.uint8), rows]).tobytes()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        _SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data and the CRC-32 of type and data."""
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
