"""Attacks through the corpus's YAML files: bombs, special files, truncation, odd types.

Each runs the real `nkrel build` on a corpus copy and expects exit 1, a one-line error
naming the file (and line where there is one), no traceback, and --out untouched."""

from __future__ import annotations

import os
import re

import pytest

from ..conftest import nkrel
from .conftest import assert_refused, snapshot

FACTS = "facts/trade-agreements.yaml"
HANG_GUARD = 120  # seconds: a hang is a failure, not a wait


def build(corpus, out):
    return nkrel("build", "--corpus", corpus, "--out", out, timeout=HANG_GUARD)


def test_zero_byte_fact_file_fails_the_build_naming_the_file(corpus_copy, out_dir):
    (corpus_copy / FACTS).write_bytes(b"")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=f"{FACTS}: the file is empty")


def test_comment_only_fact_file_fails_the_build(corpus_copy, out_dir):
    (corpus_copy / FACTS).write_text("# facts were here\n# and are gone\n", encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=f"{FACTS}: the file is empty")


def test_truncated_fact_file_fails_the_build(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 3], encoding="utf-8")
    before = snapshot(out_dir)
    result = build(corpus_copy, out_dir)
    assert_refused(result, before, out_dir)


@pytest.mark.parametrize("name", ["documents.yaml", "entities.yaml"])
def test_empty_registry_files_fail_the_build(corpus_copy, out_dir, name):
    (corpus_copy / name).write_text("", encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=f"{name}: the file is empty")


def test_documents_yaml_listing_no_documents_fails(corpus_copy, out_dir):
    (corpus_copy / "documents.yaml").write_text("documents: []\n", encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="no documents listed")


def test_yaml_alias_bomb_in_a_title_is_refused_at_once(corpus_copy, out_dir):
    lol = '["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    lines = [f"a: &a {lol}"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)
    ]
    registry = corpus_copy / "documents.yaml"
    registry.write_text("\n".join(lines) + "\n" + registry.read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(
        build(corpus_copy, out_dir), before, out_dir, mentions="documents.yaml:1: YAML aliases"
    )  # the anchored value's line


def test_alias_inside_a_fact_record_is_refused(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    text = path.read_text(encoding="utf-8")
    text = text.replace("parties: [china, north-korea]", "parties: &p [china, north-korea]", 1)
    text = text.replace("parties: [china, north-korea]", "parties: *p", 1)
    path.write_text(text, encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="YAML aliases (*name) are not allowed")


@pytest.mark.parametrize(
    "value, message",
    [
        ("!!set {a, b}", "YAML tag !!set is not allowed"),
        ("!!python/object:os.system ls", "YAML tag"),
        ("!!binary aGVsbG8=", "YAML tag !!binary is not allowed"),
        ('"\\uD800"', "documents.yaml:12: YAML syntax error: found invalid Unicode character escape code"),
    ],
)
def test_tags_and_surrogates_in_a_title_are_refused(corpus_copy, out_dir, value, message):
    registry = corpus_copy / "documents.yaml"
    text = registry.read_text(encoding="utf-8")
    text = text.replace('title: "Russia and North Korea Economic Relationship"', f"title: {value}")
    registry.write_text(text, encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=message)


def test_deeply_nested_yaml_is_refused(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    path.write_text(path.read_text(encoding="utf-8") + "extra: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=FACTS)


def test_nested_within_the_parser_limit_is_refused_by_depth(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    path.write_text(path.read_text(encoding="utf-8") + "extra: " + "[" * 200 + "]" * 200 + "\n", encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="nested deeper than")


def test_two_yaml_documents_in_one_file_are_refused(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    path.write_text(path.read_text(encoding="utf-8") + "\n---\ndocument: x\n", encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=FACTS)


def test_invalid_utf8_in_a_fact_file_names_the_line(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    path.write_bytes(b"document: trade-agreements\nfacts:\n  - id: \xff\xfe\n")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=f"{FACTS}:3: not UTF-8")


def test_a_fifo_as_fact_file_does_not_hang(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    path.unlink()
    os.mkfifo(path)
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="not a regular file")


def test_a_fifo_as_source_text_does_not_hang(corpus_copy, out_dir):
    text = corpus_copy / "texts" / "000_faedcd902345ce2a.txt"
    text.unlink()
    os.mkfifo(text)
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="not a regular file")


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/passwd", "../../../../etc/passwd"])
def test_a_text_outside_the_corpus_is_not_read(corpus_copy, out_dir, target):
    registry = corpus_copy / "documents.yaml"
    text = registry.read_text(encoding="utf-8").replace("file: texts/000_faedcd902345ce2a.txt", f"file: {target}")
    registry.write_text(text, encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="must be a path inside the corpus folder")


def test_a_symlink_leading_out_of_the_corpus_is_not_read(corpus_copy, out_dir):
    text = corpus_copy / "texts" / "000_faedcd902345ce2a.txt"
    text.unlink()
    text.symlink_to("/dev/zero")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="must be a path inside the corpus folder")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "[a, b]", "'title' must be text"),
        ("publisher", "[a, b]", "'publisher' must be text"),
        ("sha256", "12345", "'sha256' must be text"),
        ("facts", "{a: 1}", "'facts' must be text"),
    ],
)
def test_document_fields_have_types(corpus_copy, out_dir, field, value, message):
    registry = corpus_copy / "documents.yaml"
    text = registry.read_text(encoding="utf-8")
    text = re.sub(rf"(  - id: eiilir-economic-relationship\n(?:    .*\n)*?    {field}:) .*", rf"\1 {value}", text)
    registry.write_text(text, encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions=message)


def test_unknown_top_level_key_in_documents_yaml_is_refused(corpus_copy, out_dir):
    registry = corpus_copy / "documents.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "extra: 1\n", encoding="utf-8")
    before = snapshot(out_dir)
    assert_refused(build(corpus_copy, out_dir), before, out_dir, mentions="unknown top-level field 'extra'")
