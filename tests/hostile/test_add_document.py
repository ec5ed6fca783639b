"""`nkrel add-document` refuses what the corpus reader would refuse, before changing
anything: every later command must keep working. Each attack ends with exit 1, one
clear error, no traceback, and the workspace exactly as it was."""

from __future__ import annotations

import os
import time
import zlib
from pathlib import Path

import pytest

from ..conftest import nkrel
from .conftest import snapshot

TEXT = "North Korea exported coal to China in 2016. The trade fell in 2017.\n"


@pytest.fixture
def ws(tmp_path) -> Path:
    assert nkrel("init", tmp_path / "ws", env={"NKREL_WORKSPACE": ""}).returncode == 0
    return tmp_path / "ws"


def add(ws: Path, source, *args, timeout=120):
    return nkrel("add-document", source, "--id", "doc", *args, cwd=ws, env={"NKREL_WORKSPACE": str(ws)},
                 timeout=timeout)  # fmt: skip


def refused(result, before: dict, ws: Path, mentions: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("nkrel: error: ") and "nothing was changed" in result.stderr, result.stderr
    assert mentions in result.stderr, result.stderr
    assert snapshot(ws) == before, "the workspace changed"


def text_file(tmp_path: Path, data: bytes, name="doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_with_a_nul_byte(ws, tmp_path):
    before = snapshot(ws)
    path = text_file(tmp_path, b"Pyongyang said so.\x00 Another sentence.\n")
    refused(add(ws, path, "--title", "T"), before, ws, "holds a control character (U+0000 at line 1, column 19)")


def test_text_with_an_escape_byte(ws, tmp_path):
    before = snapshot(ws)
    path = text_file(tmp_path, b"A sentence.\n\x1b[31mRed text.\x1b[0m\n")
    refused(add(ws, path, "--title", "T"), before, ws, "U+001B at line 2, column 1")


def test_title_that_is_not_utf8(ws, tmp_path):
    before = snapshot(ws)
    path = text_file(tmp_path, TEXT.encode())
    refused(add(ws, path, "--title", "bad \udcff title"), before, ws, "--title is not valid UTF-8 text")


def test_publisher_that_is_not_utf8(ws, tmp_path):
    before = snapshot(ws)
    path = text_file(tmp_path, TEXT.encode())
    refused(add(ws, path, "--title", "T", "--publisher", "\udcfe"), before, ws, "--publisher is not valid UTF-8")


def test_title_with_an_escape_sequence(ws, tmp_path):
    before = snapshot(ws)
    path = text_file(tmp_path, TEXT.encode())
    refused(add(ws, path, "--title", "\x1b]0;owned\x07 title"), before, ws, "--title holds a control character")


def test_text_of_70_mb(ws, tmp_path):
    before = snapshot(ws)
    path = text_file(tmp_path, b"North Korea exported coal to China in 2016.\n" * (70 * 1024 * 1024 // 44))
    refused(add(ws, path, "--title", "T"), before, ws, "too large")


def test_fifo_does_not_hang(ws, tmp_path):
    before = snapshot(ws)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = add(ws, fifo, "--title", "T", timeout=30)
    assert time.monotonic() - started < 30
    refused(result, before, ws, "not a regular file")


def test_dev_zero(ws):
    before = snapshot(ws)
    refused(add(ws, "/dev/zero", "--title", "T", timeout=60), before, ws, "not a regular file")


@pytest.mark.parametrize(
    "registry, mentions",
    [
        ("documents: [\n  - id: x\n", "documents.yaml:"),  # a YAML syntax error
        ("documents: 5\n", "expected a mapping with a 'documents:' list"),
        ("documents:\n  - just a string\n", "every item of 'documents' must be a mapping"),
        ("", "expected a mapping with a 'documents:' list"),
    ],
    ids=["syntax-error", "not-a-list", "item-not-a-mapping", "empty"],
)
def test_broken_documents_yaml(ws, tmp_path, registry, mentions):
    (ws / "corpus" / "documents.yaml").write_text(registry, encoding="utf-8")
    before = snapshot(ws)
    result = add(ws, text_file(tmp_path, TEXT.encode()), "--title", "T")
    refused(result, before, ws, mentions)
    assert "fix it first" in result.stderr


def _pdf(content: bytes, filters: str = "/Filter /FlateDecode") -> bytes:
    """A one-page PDF whose page content is the given (already encoded) stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        f"<< /Length {len(content)} {filters} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_bomb_is_refused_quickly(ws, tmp_path):
    """3 GB of page content in a 3 MB stream: the extractor's memory limit stops it."""
    squeeze = zlib.compressobj(9)
    chunk = b"(x) Tj " * (1 << 17)
    body = b"".join(squeeze.compress(chunk) for _ in range(3 * 1024 * 1024 * 1024 // len(chunk))) + squeeze.flush()
    before = snapshot(ws)
    started = time.monotonic()
    result = add(ws, text_file(tmp_path, _pdf(body), "bomb.pdf"), timeout=180)
    took = time.monotonic() - started
    refused(result, before, ws, "bomb.pdf: ")
    assert "out of memory" in result.stderr or "took longer" in result.stderr, result.stderr
    assert took < 90, took


def test_malformed_pdf(ws, tmp_path):
    before = snapshot(ws)
    path = text_file(tmp_path, b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer <<>>\n%%EOF\n",
                     "broken.pdf")  # fmt: skip
    refused(add(ws, path), before, ws, "broken.pdf: ")


def test_deeply_nested_html_is_refused_quickly(ws, tmp_path):
    before = snapshot(ws)
    page = b"<!doctype html><html><body>" + b"<div>" * 200_000 + b"deep" + b"</div>" * 200_000 + b"</body></html>"
    started = time.monotonic()
    result = add(ws, text_file(tmp_path, page, "deep.html"), "--title", "T")
    refused(result, before, ws, "nested more than 256 deep")
    assert time.monotonic() - started < 30


def test_html_declaring_entities_is_refused(ws, tmp_path):
    """A billion-laughs document type: nothing is expanded."""
    before = snapshot(ws)
    lol = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    page = f'<?xml version="1.0"?><!DOCTYPE html [{lol}]><html><body><p>&l9;</p></body></html>'.encode()
    refused(add(ws, text_file(tmp_path, page, "lol.html"), "--title", "T"), before, ws, "declares XML entities")


def test_page_title_with_an_escape_sequence_never_reaches_the_registry(ws, tmp_path):
    """A page's <title> holding an escape sequence: the title recorded holds no control character."""
    page = (b"<!doctype html><html><head><title>\x1b[2J cleared</title></head><body><article>"
            + b"<p>North Korea exported coal to China in 2016, the customs office said in a statement.</p>" * 3
            + b"</article></body></html>")  # fmt: skip
    result = add(ws, text_file(tmp_path, page, "t.html"))
    assert "Traceback" not in result.stderr, result.stderr
    registry = (ws / "corpus" / "documents.yaml").read_bytes()
    assert b"\x1b" not in registry and b"\\e" not in registry and b"\\x1b" not in registry.lower()
    assert result.returncode == 0, result.stderr  # the extractor drops the control character
    assert nkrel("validate", "--allow-uncovered", cwd=ws, env={"NKREL_WORKSPACE": str(ws)}).returncode == 0
