"""Renderings remembered by the process, keyed by exactly what they are rendered from.

A DOCX is a function of its ``Content`` alone and a PDF of its HTML alone, so a rendering made
once in this process is given again, byte for byte, when the same content (the same HTML) is
asked for again: the second conference pack of a year whose drafts did not change, or a draft's
PDF downloaded after the pack, costs no WeasyPrint layout. The key is the SHA-256 of the whole
source (the content's ``repr``, the HTML), so a change anywhere in a document is another key:
nothing stale can be given. Only memory is used — never the database or the storage, so a GET
still writes nothing — bounded to ``LIMIT_BYTES`` per process, the least recently used
forgotten first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

LIMIT_BYTES = 32 * 1024 * 1024

_kept: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_size = 0
_lock = threading.Lock()


def remembered(kind: str, source: str, render: Callable[[], bytes]) -> bytes:
    """``render()``'s bytes for ``source``, rendered once per process while remembered."""
    global _size
    key = (kind, hashlib.sha256(source.encode("utf-8")).hexdigest())
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    data = render()
    if len(data) > LIMIT_BYTES:
        return data
    with _lock:
        if key not in _kept:
            _kept[key] = data
            _size += len(data)
        while _size > LIMIT_BYTES:
            _key, dropped = _kept.popitem(last=False)
            _size -= len(dropped)
    return data


def forget() -> None:
    """Forget every rendering (the benchmark's timing of a first rendering; tests)."""
    global _size
    with _lock:
        _kept.clear()
        _size = 0
