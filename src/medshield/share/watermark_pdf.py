"""The per-recipient watermark in PDF files: keyed bits in every page's content stream, painted
by nothing, so the layout is unchanged.

The mark is an incremental update (the original bytes stay as they are): one new content
stream, added to the ``/Contents`` of every page, holds a marked-content block
``/Artifact BMC ... EMC`` of ``BITS`` zero-size rectangles ended by ``n`` (a path that is neither
filled nor stroked: nothing is drawn, nothing is selectable). Rectangle ``i`` carries observation
``pdf:i`` in its height, 0 or 1: the keyed bit of ``watermark``, so ``identify`` names the
recipient of a leaked copy the same way as for CSV cells. A copy re-saved by a tool that
compresses or renumbers objects keeps the block (streams are read through FlateDecode); a copy
printed to a new PDF, rasterised or retyped does not.

Pages are found by reading the file's objects, at the top level and inside object streams; an
encrypted PDF, or one whose pages cannot be found, is refused (nothing is packed unmarked).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from medshield.errors import InputError
from medshield.share.watermark import keyed_bit

BITS = 64
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_MARK = re.compile(rb"/Artifact\s+BMC\s+((?:\d+\s+[01]\s+0\s+0\s+re\s+n\s+)+)EMC")
_RECT = re.compile(rb"(\d+)\s+([01])\s+0\s+0\s+re\s+n")


def _dict_end(data: bytes, start: int) -> int:
    """The index just after the ``>>`` closing the dictionary that opens at ``start``."""
    depth, i = 0, start
    while i < len(data):
        if data.startswith(b"<<", i):
            depth, i = depth + 1, i + 2
        elif data.startswith(b">>", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
        elif data[i : i + 1] == b"(":  # a literal string: skip it, with its escapes
            level, i = 1, i + 1
            while i < len(data) and level:
                c = data[i : i + 1]
                level += (c == b"(") - (c == b")")
                i += 2 if c == b"\\" else 1
        else:
            i += 1
    raise InputError("a PDF dictionary is not closed")


def _streams(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(dictionary, decoded data) of every stream object of the file."""
    for match in _OBJ.finditer(data):
        start = match.end()
        while data[start : start + 1].isspace():
            start += 1
        if not data.startswith(b"<<", start):
            continue
        try:
            end = _dict_end(data, start)
        except InputError:
            continue
        head = re.match(rb"\s*stream\r?\n", data[end : end + 12])
        if head is None:
            continue
        body_start = end + head.end()
        body_end = data.find(b"endstream", body_start)
        if body_end < 0:
            continue
        body = data[body_start:body_end]
        if b"/FlateDecode" in data[start:end]:
            try:
                body = zlib.decompressobj().decompress(body)
            except zlib.error:
                continue
        yield data[start:end], body


def _objects(data: bytes) -> dict[int, tuple[int, bytes]]:
    """Object number -> (generation, dictionary text) of the dictionary objects, the last
    definition winning; objects inside object streams included."""
    found: dict[int, tuple[int, bytes]] = {}
    for match in _OBJ.finditer(data):
        at = match.end()
        while data[at : at + 1].isspace():
            at += 1
        if data.startswith(b"<<", at):
            found[int(match.group(1))] = (int(match.group(2)), data[at : _dict_end(data, at)])
    for head, body in _streams(data):
        if not re.search(rb"/Type\s*/ObjStm", head):
            continue
        first = re.search(rb"/First\s+(\d+)", head)
        count = re.search(rb"/N\s+(\d+)", head)
        if first is None or count is None:
            continue
        numbers = [int(n) for n in body[: int(first.group(1))].split()]
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))[: int(count.group(1))]
        for number, offset in pairs:
            at = int(first.group(1)) + offset
            while body[at : at + 1].isspace():
                at += 1
            if body.startswith(b"<<", at) and number not in found:
                found[number] = (0, body[at : _dict_end(body, at)])
    return found


def _mark_stream(key: bytes) -> bytes:
    rects = b"".join(b"%d %d 0 0 re n\n" % (i, keyed_bit(key, f"pdf:{i}")) for i in range(BITS))
    return b"q /Artifact BMC\n" + rects + b"EMC Q\n"


def _with_contents(page: bytes, ref: bytes) -> bytes:
    single = re.search(rb"/Contents\s+(\d+\s+\d+\s+R)", page)
    if single:
        return (
            page[: single.start()]
            + b"/Contents ["
            + single.group(1)
            + b" "
            + ref
            + b"]"
            + page[single.end() :]
        )
    array = re.search(rb"/Contents\s*\[([^\]]*)\]", page)
    if array:
        return page[: array.end() - 1] + b" " + ref + page[array.end() - 1 :]
    return page[:-2] + b" /Contents " + ref + b" >>"


def _last(pattern: bytes, data: bytes) -> bytes | None:
    found = re.findall(pattern, data)
    return found[-1] if found else None


def mark_pdf(data: bytes, key: bytes) -> bytes:
    """The PDF with the recipient's keyed bits added to every page (an incremental update)."""
    if not data.startswith(b"%PDF-"):
        raise InputError("not a PDF file")
    if re.search(rb"/Encrypt\s", data):
        raise InputError("an encrypted PDF cannot be watermarked; share it unencrypted")
    objects = _objects(data)
    pages = {n: o for n, o in objects.items() if _PAGE.search(o[1])}
    root, prev = _last(rb"/Root\s+(\d+\s+\d+\s+R)", data), _last(rb"startxref\s+(\d+)", data)
    if not pages or root is None or prev is None:
        raise InputError("cannot find the pages of this PDF")
    size = max(int(_last(rb"/Size\s+(\d+)", data) or 0), max(objects) + 1)
    stream = _mark_stream(key)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, tuple[int, int]] = {size: (len(out), 0)}
    out += (
        b"%d 0 obj\n<< /Length %d >>\nstream\n" % (size, len(stream))
        + stream
        + b"\nendstream\nendobj\n"
    )
    ref = b"%d 0 R" % size
    for number, (generation, page) in sorted(pages.items()):
        offsets[number] = (len(out), generation)
        out += b"%d %d obj\n" % (number, generation) + _with_contents(page, ref) + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for number, (offset, generation) in sorted(offsets.items()):
        out += b"%d 1\n%010d %05d n \n" % (number, offset, generation)
    info = _last(rb"/Info\s+(\d+\s+\d+\s+R)", data)
    trailer = b"/Size %d /Root %s /Prev %s" % (size + 1, root, prev)
    out += b"trailer\n<< " + trailer + (b" /Info " + info if info else b"") + b" >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_observations(data: bytes) -> dict[str, int]:
    """Observation -> bit, over the marks in every (decoded) stream of a leaked PDF."""
    found: dict[str, int] = {}
    for _head, body in _streams(data):
        for block in _MARK.finditer(body):
            for index, bit in _RECT.findall(block.group(1)):
                found[f"pdf:{int(index)}"] = int(bit)
    return found
