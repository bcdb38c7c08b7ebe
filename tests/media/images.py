"""Image files for tests, made byte by byte: a PNG whose header declares any size (a
decompression bomb is a few hundred bytes declaring millions of pixels)."""

from __future__ import annotations

import struct
import zlib

# PNG layout (signature, chunk = length, type, data, CRC-32 of type + data; IHDR first):
# https://www.w3.org/TR/png-3/#5PNG-file-signature and https://www.w3.org/TR/png-3/#11IHDR
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int, *, rows: int = 64) -> bytes:
    """An 8-bit RGB PNG whose IHDR says ``width``×``height``; its IDAT holds ``rows`` zero rows
    (each filter byte 0 then black pixels), compressed: a tiny file that decodes to gigabytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * (3 * width)
    idat = zlib.compress(row * rows, 9)
    return SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
