"""The review session's details that its end-to-end tests (tests/test_review.py) leave open,
each found by a mutant of nkrel/draft/review.py that survived them (issue 20): an id taken
twice, the sentence shown around a quote, a second rejection, an edited entity id in a
draft's lists, a rejection cut between its two writes, an alias found nowhere, a second
draft of one id, a file gone or broken during the review, the fact file's indentation."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from nkrel.draft import review as review_module
from nkrel.draft.review import ReviewError, open_review, parse_record

from .test_draft import NEW_TEXT
from .test_review import draft_new_document


@pytest.fixture(scope="module")
def drafted_once(tmp_path_factory) -> Path:
    """A corpus copy with a new document 'vn-test' drafted; its proposed entities not yet answered."""
    return draft_new_document(tmp_path_factory.mktemp("drafted-raw"))


@pytest.fixture
def corpus(drafted_once, tmp_path) -> Path:
    return Path(shutil.copytree(drafted_once, tmp_path / "corpus"))


def entities_answered(corpus: Path):
    """The review, with its proposed entities accepted as proposed (as `nkrel review` asks first)."""
    review = open_review(corpus, "vn-test")
    for entity in review.proposed_entities():
        review.accept_entity(entity)
    return review


def facts_file(corpus: Path) -> dict:
    return yaml.safe_load((corpus / "facts" / "vn-test.yaml").read_text(encoding="utf-8"))


def messages(problems) -> list[str]:
    return [p.message for p in problems]


TAKEN = "a fact with this id already exists"


def test_an_id_taken_elsewhere_or_earlier_in_the_review_is_refused(corpus):
    review = entities_answered(corpus)
    entry = review.pending()[0]
    elsewhere = next(f.id for f in review.corpus.facts if f.document != "vn-test")  # not in vn-test's file
    assert TAKEN in messages(review.problems(dict(entry, id=elsewhere)))
    assert review.accept(entry) == []
    assert TAKEN in messages(review.problems(entry))  # accepted since the corpus was loaded: in the file only


def test_the_sentence_shown_is_the_one_the_quote_covers(corpus):
    review = open_review(corpus, "vn-test")
    first, second, third = NEW_TEXT.splitlines()[0], *NEW_TEXT.splitlines()[2].split(". ")[:2]
    second, third = second + ".", third + "."

    def shown(quote, occurrence=None):
        return review.sentence_of({"evidence": {"quote": quote, "occurrence": occurrence}})

    assert shown("North Korea and Vietnam") == first  # a quote at the very start of the text
    assert shown("North Korea", 2) == second  # the second occurrence, not the first
    assert shown("North Korea", 3) == third
    # a quote's trailing or leading space does not pull in the sentence beside it
    # (the sentences coverage counts it in: span.start < s.end and span.end > s.start)
    assert shown("mostly rice and textiles. ") == second
    assert shown(" North Korea imported 3,400 tons") == third
    assert shown("not in the text") == ""


def test_a_second_rejection_keeps_the_first(corpus):
    review = entities_answered(corpus)
    one, two = review.pending()[:2]
    review.reject(one, "opinion")
    review.reject(two, "background")
    assert facts_file(corpus)["not_facts"] == [
        {"quote": one["evidence"]["quote"], "reason": "opinion"},
        {"quote": two["evidence"]["quote"], "reason": "background"},
    ]


def test_an_edited_entity_id_is_carried_into_a_drafts_list_of_parties(corpus):
    review = open_review(corpus, "vn-test")
    proposal = next(e for e in review.proposed_entities() if e["id"] == "vietnam")
    signing = next(d for d in review.pending() if d.get("parties"))
    assert list(signing["parties"]) == ["north-korea", "vietnam"]
    review.accept_entity(proposal, dict(proposal, id="socialist-republic-of-vietnam"))
    signing = next(d for d in review.pending() if d["id"] == signing["id"])
    assert list(signing["parties"]) == ["north-korea", "socialist-republic-of-vietnam"]


def test_a_rejection_cut_between_its_two_writes_is_finished_by_the_next_review(corpus, monkeypatch):
    """The fact file's not_facts is written first; a review killed before the drafts file
    is rewritten leaves the draft there, and the next review sees it as answered."""
    review = entities_answered(corpus)
    entry = review.pending()[0]
    writes, real = [], review_module.atomic_write

    def cut(path, data):
        writes.append(Path(path).name)
        if len(writes) == 2:
            raise KeyboardInterrupt  # the process dies here: the drafts file is not rewritten
        real(path, data)

    monkeypatch.setattr(review_module, "atomic_write", cut)
    with pytest.raises(KeyboardInterrupt):
        review.reject(entry, "opinion")
    monkeypatch.setattr(review_module, "atomic_write", real)
    assert writes == ["vn-test.yaml", "vn-test.yaml"] and entry["id"] in [
        d["id"] for d in yaml.safe_load((corpus / "drafts" / "vn-test.yaml").read_text(encoding="utf-8"))["drafts"]
    ]
    again = open_review(corpus, "vn-test")
    assert entry["id"] not in [d["id"] for d in again.pending()]
    assert len(again.pending()) == 5


def test_an_alias_found_in_no_document_is_refused(corpus):
    review = open_review(corpus, "vn-test")
    proposal = next(e for e in review.proposed_entities() if e["id"] == "vietnam")
    with pytest.raises(ReviewError, match="^entity vietnam: alias 'Viet Nam' occurs in no document$"):
        review.accept_entity(proposal, dict(proposal, aliases=["Vietnam", "Viet Nam"]))
    assert "vietnam" not in review.corpus.entities
    assert "Viet Nam" not in (corpus / "entities.yaml").read_text(encoding="utf-8")


def test_an_answer_removes_that_draft_only_not_a_later_one_of_the_same_id(corpus):
    """A drafts file edited by hand can hold two drafts of one id: discarding the first
    leaves the second to be answered (it is not dropped unseen)."""
    path = corpus / "drafts" / "vn-test.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    twin = dict(data["drafts"][0], evidence={"quote": "North Korea imported 3,400 tons of rice"})
    text = path.read_text(encoding="utf-8").replace("\nnot_facts:\n", "\n" + _item(twin) + "not_facts:\n", 1)
    path.write_text(text, encoding="utf-8")
    review = entities_answered(corpus)
    first = review.pending()[0]
    assert [d["id"] for d in review.pending()].count(first["id"]) == 2
    review.discard(first)
    left = review.pending()
    assert [d["id"] for d in left].count(first["id"]) == 1 and len(left) == 6
    assert left[-1]["evidence"]["quote"] == "North Korea imported 3,400 tons of rice"


def _item(record: dict) -> str:
    body = yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=4096)
    return "".join("  " + line + "\n" for line in body.splitlines())


def test_a_file_gone_during_the_review_is_told_in_words(corpus):
    review = open_review(corpus, "vn-test")
    proposal = review.proposed_entities()[0]
    (corpus / "entities.yaml").unlink()  # say, a checkout of another branch mid-review
    with pytest.raises(ReviewError) as e:
        review.accept_entity(proposal)
    assert str(e.value) == f"cannot read {corpus / 'entities.yaml'}: No such file or directory"


def test_a_record_the_loaders_parser_refuses_is_a_problem_not_a_traceback(corpus):
    """An edit with a YAML alias: ruamel reads it, the loader's parser refuses it."""
    review = entities_answered(corpus)
    entry = review.pending()[0]
    edited = parse_record(review_module.record_text(entry).replace("from: vietnam", "from: &v vietnam"))
    edited["to"] = edited["from"]
    text = review_module.record_text(edited)
    assert "from: &v vietnam" in text and "to: *v" in text
    problems = review.accept(entry, edited)
    assert messages(problems) == ["YAML aliases (*name) are not allowed in corpus files"]
    assert facts_file(corpus)["facts"] == []


def test_yaml_errors_quote_the_parsers_first_line(corpus):
    with pytest.raises(ReviewError) as e:
        parse_record("label: [Vietnam\n")
    assert str(e.value) == "the edited record is not valid YAML: while parsing a flow sequence"
    review = open_review(corpus, "vn-test")
    path = corpus / "facts" / "vn-test.yaml"
    path.write_text("document: vn-test\nfacts: [\n", encoding="utf-8")  # broken mid-review, in an editor
    with pytest.raises(ReviewError) as e:
        review.pending()
    assert str(e.value) == f"{path} is not valid YAML: while parsing a flow node"


def test_the_fact_file_is_written_two_spaces_a_level(corpus):
    """As the curated fact files are: a nested mapping two spaces in, a list item's dash
    two spaces in and its keys four."""
    review = entities_answered(corpus)
    entry = review.pending()[0]
    assert review.accept(entry) == []
    text = (corpus / "facts" / "vn-test.yaml").read_text(encoding="utf-8")
    body = text[text.index("\ndocument:") :]
    quote = entry["evidence"]["quote"]
    assert body.startswith(f"\ndocument: vn-test\nfacts:\n  - id: {entry['id']}\n    kind: TradeFlow\n")
    assert "\n    quantities:\n      - {measure: value, amount: 12300000, unit: USD," in body
    assert body.endswith(f"\n    evidence:\n      quote: {quote}\nnot_facts: []\n")


# --- the other 12 survivors of the first run (mutants 61 to 98) -------------------------


def test_accepting_an_entity_leaves_the_rest_of_entities_yaml_as_it_was(corpus):
    """entities.yaml is curated by hand: an accepted entity is appended, and every line
    before it, quotes and comments included, is written back as it was (l. 33:
    ruamel's preserve_quotes as False drops the quotes of a quoted value)."""
    path = corpus / "entities.yaml"
    before = path.read_text(encoding="utf-8")
    assert ': "' in before  # the curated file quotes some values
    review = open_review(corpus, "vn-test")
    review.accept_entity(review.proposed_entities()[0])
    assert path.read_text(encoding="utf-8").startswith(before.rstrip("\n"))


def test_a_fact_file_changed_to_another_documents_is_refused(corpus):
    """The fact file must stay the document's own: the loader checks it when the review
    starts, the review each time it reads the file, as it may be changed meanwhile (l. 71:
    `or` as `and` let a file of another document take the review's facts)."""
    path = corpus / "facts" / "vn-test.yaml"
    review = open_review(corpus, "vn-test")
    path.write_text("document: another\nfacts: []\nnot_facts: []\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="^.*vn-test.yaml: expected 'document: vn-test' at the top$"):
        review.pending()
    path.write_text("- document: vn-test\n", encoding="utf-8")  # not a mapping
    with pytest.raises(ReviewError, match="expected 'document: vn-test' at the top$"):
        review.pending()


@pytest.mark.parametrize("eid", ["Viet Nam", "viet-nam-", None, 7])
def test_an_edited_entity_id_must_be_a_slug(corpus, eid):
    """l. 225: `not isinstance(eid, str) or not SLUG.match(eid)` as `and` let an id with
    capitals and a space into entities.yaml (and None or a number gave a traceback)."""
    review = open_review(corpus, "vn-test")
    proposal = next(e for e in review.proposed_entities() if e["id"] == "vietnam")
    before = (corpus / "entities.yaml").read_text(encoding="utf-8")
    with pytest.raises(ReviewError, match="must be lower-case words joined by '-'$"):
        review.accept_entity(proposal, dict(proposal, id=eid))
    assert (corpus / "entities.yaml").read_text(encoding="utf-8") == before


def test_an_edited_entity_id_is_carried_into_every_field_that_names_it():
    """_rename changes the old id in the lists, the single fields and attributed_to's
    `by` (l. 300: the loop over attributed_to run zero times), and nothing else."""
    record = {
        "parties": ["north-korea", "vietnam"],
        "from": "vietnam",
        "to": "north-korea",
        "attributed_to": [{"by": "vietnam", "source": "a statement"}, {"by": "north-korea"}],
        "label": "vietnam",
    }
    review_module._rename(record, "vietnam", "viet-nam")
    assert record == {
        "parties": ["north-korea", "viet-nam"],
        "from": "viet-nam",
        "to": "north-korea",
        "attributed_to": [{"by": "viet-nam", "source": "a statement"}, {"by": "north-korea"}],
        "label": "vietnam",
    }


def test_a_proposed_not_fact_recorded_before_a_cut_is_not_proposed_again(corpus, monkeypatch):
    """l. 96: `... or []` as `and []` forgot the not_facts already in the fact file, so a
    proposal recorded by a review cut before the drafts file was rewritten came back."""
    review = entities_answered(corpus)
    proposals = review.proposed_not_facts()
    assert proposals, "the drafted document has lines proposed for not_facts"
    monkeypatch.setattr(review, "_remove", lambda *args, **kwargs: None)  # cut before the drafts file's write
    review.accept_not_fact(proposals[0])
    assert proposals[0]["quote"] in [n["quote"] for n in facts_file(corpus)["not_facts"]]
    again = open_review(corpus, "vn-test")
    assert again.proposed_not_facts() == proposals[1:]


def test_a_file_changed_by_hand_during_the_review_is_read_as_it_now_is(corpus):
    """A review keeps no file's content between answers: a text already parsed is reused only
    when the file holds that very text (a cache keyed by name or by stat would miss an edit
    of the same size in the same clock tick, as here)."""
    review = entities_answered(corpus)
    pending = review.pending()
    first = pending[0].get("id")
    path = review.drafts_path
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    renamed = "x" * len(first)  # the same size
    path.write_text(text.replace(f"id: {first}\n", f"id: {renamed}\n", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [d.get("id") for d in review.pending()] == [renamed] + [d.get("id") for d in pending[1:]]
    assert review.pending()[0] is not review.pending()[0]  # each caller gets its own copy to change


def test_accepting_every_draft_parses_each_written_file_once(corpus, monkeypatch):
    """The review of a long document re-read its files before every answer and parsed each
    read anew: quadratic (minutes for a few hundred drafts). Each text is parsed once now."""
    review = entities_answered(corpus)
    parsed = []
    real = review_module._yaml

    def counting():
        yaml_ = real()
        load = yaml_.load
        yaml_.load = lambda text: parsed.append(text) or load(text)
        return yaml_

    monkeypatch.setattr(review_module, "_yaml", counting)
    pending = review.pending()
    for entry in pending:
        assert review.accept(entry) == []
    assert len(parsed) == len(set(parsed)), "a file's text was parsed twice"
    assert len(parsed) <= 2 * len(pending) + 2  # one facts file and one drafts file per answer


def _files(corpus: Path) -> dict[str, bytes]:
    return {str(p.relative_to(corpus)): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


def test_accept_all_writes_what_accepting_one_by_one_writes(drafted_once, tmp_path):
    """`review --accept-all` answers in three writes; the files must be those that the
    answers given one at a time write (entities adopted with their drafts, lines explained)."""
    one_by_one = Path(shutil.copytree(drafted_once, tmp_path / "one"))
    review = open_review(one_by_one, "vn-test")
    assert review.proposed_entities() and review.proposed_not_facts() and review.pending()
    for entry in review.proposed_not_facts():
        review.accept_not_fact(entry)
    for entry in review.pending():
        review.accept(entry)
    batch = Path(shutil.copytree(drafted_once, tmp_path / "all"))
    together = open_review(batch, "vn-test")
    assert together.accept_all() == []
    assert together.counts == review.counts and review.counts["accepted"] > 1
    assert _files(batch) == _files(one_by_one)
    assert open_review(batch, "vn-test").pending() == []


def test_accept_all_refuses_a_broken_draft_and_takes_the_others(drafted_once, tmp_path):
    corpus = Path(shutil.copytree(drafted_once, tmp_path / "corpus"))
    review = open_review(corpus, "vn-test")
    pending = review.pending()
    path = review.drafts_path
    first = pending[0].get("id")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(f"id: {first}\n", f"id: {pending[1].get('id')}\n", 1), encoding="utf-8"
    )  # two of one id
    refused = open_review(corpus, "vn-test").accept_all()
    assert [(e.get("id"), messages(p)) for e, p in refused] == [(pending[1].get("id"), [TAKEN])]
    assert {f["id"] for f in facts_file(corpus)["facts"]} == {d.get("id") for d in pending[1:]}
    left = yaml.safe_load(path.read_text(encoding="utf-8"))["drafts"]
    assert [d["id"] for d in left] == [pending[1].get("id")]  # the refused one stays in the drafts file
