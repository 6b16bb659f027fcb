"""Small valid PNG images made in code: the emulator's icons (no image is copied from anywhere)."""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib

__all__ = ["icon_png"]

SIZE = 32


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.lru_cache(maxsize=4096)
def icon_png(seed: str) -> bytes:
    """A 32x32 RGB PNG: a two-colour diagonal split whose colours follow ``seed`` (stable across runs)."""
    digest = hashlib.blake2b(seed.encode(), digest_size=6).digest()
    first, second = digest[:3], digest[3:]
    rows = b"".join(b"\x00" + b"".join(first if x + y < SIZE else second for x in range(SIZE)) for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")
