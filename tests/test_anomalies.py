"""Each anomaly rule finds its case in a dirty synthetic corpus and stays silent on a
clean one; on the real texts, the known slips are found."""

from __future__ import annotations

import json

import pytest

from .conftest import nkrel
from .synthetic import fact, money, write_corpus

ENTITIES = [
    {"id": "aland", "type": "State", "label": "Aland", "aliases": ["Aland", "Alandish"],
     "reference": {"founded": "1985-01-01", "origin": "curator"}},
    {"id": "old-aland", "type": "State", "label": "Oldland", "aliases": ["Oldland"], "successor": "aland",
     "reference": {"dissolved": "1984-12-31", "origin": "https://example.org/oldland"}},
    {"id": "borduria", "type": "State", "label": "Borduria", "aliases": ["Borduria"]},
    {"id": "alandia", "type": "City", "label": "Alandia", "aliases": ["Alandia"], "in": "aland",
     "reference": {"capital_of": "aland", "origin": "curator"}},
    {"id": "bordur-city", "type": "City", "label": "Bordur City", "aliases": ["Bordur City"], "in": "borduria"},
    {"id": "bordur-province", "type": "Region", "label": "Bordur Province", "aliases": ["Bordur Province"],
     "in": "borduria"},
    {"id": "grain-org", "type": "Organisation", "label": "World Grain Organisation",
     "aliases": ["World Grain Organisation"]},
]  # fmt: skip
AB = {"from": "aland", "to": "borduria"}


def corpus_texts(dirty: bool) -> dict[str, str]:
    d = dirty
    main = " ".join([
        f"Trade between Aland and Borduria dropped from ${5 if d else 7} million in 1990 to ${7 if d else 5} million in 1991.",
        f"Aland has an embassy in {'Alandia' if d else 'Bordur City'}.",
        f"Trade grew from $100 million in 2000 to $150 million in 2001, an increase of {20 if d else 50}%.",
        f"Aland plans to rent at least {300 if d else 100},000 hectares in Bordur Province, which has about 200,000 hectares of land.",
        f"In {1980 if d else 1990} Aland gave Borduria aid worth 4 billion old rubles and 3 billion {'' if d else 'old '}rubles.",
        f"In the first nine months of 2005 Aland exported $40 million to Borduria and imported $10 million; trade in 2005 was ${50 if d else 60} million.",
        f"In 2011 Aland gave Borduria 50,000 tons of wheat. Aland also provided Borduria {'49,800' if d else '20,000'} tons of grain in 2011.",
        f"In 1997 Aland sent 370 {'tones' if d else 'tons'} of sugar to Borduria.",
        f"In 1975 {'Alandish' if d else 'Oldland'} engineers built 10 factories in Borduria.",
        "In 2012 the World Grain Organisation sent aid to Borduria.",
        "In 2010 Aland exported $80 million to Borduria.",
        f"Exports from Aland to Borduria fell to ${9 if d else 3} million in 2008 from $5 million in 2007.",
        "In 1995 relations between Aland and Borduria cooled.",
        "Alandia is the capital of Aland; Bordur City lies in Borduria; Oldland preceded Aland, whose people are Alandish.",
    ])  # fmt: skip
    other = (
        f"Aland's exports to Borduria reached ${90 if d else 80} million in 2010. "
        f"Oldland engineers built {12 if d else 10} factories in Borduria in 1975. "
        f"{'In 1995 Aland cut ties with Borduria' if d else 'Relations between Aland and Borduria also cooled in 1995'}."
    )
    return {"main": main, "other": other}


def corpus_facts(dirty: bool) -> dict[str, list[dict]]:
    d = dirty
    v = lambda a, b: a if d else b  # noqa: E731
    ab = ["aland", "borduria"]
    facts = [
        fact("t1990", "TradeFlow", f"dropped from ${v(5, 7)} million in 1990", parties=ab, time={"year": 1990},
             quantities=[money(v(5, 7) * 10**6, f"${v(5, 7)} million")]),
        fact("t1991", "TradeFlow", f"to ${v(7, 5)} million in 1991", parties=ab, time={"year": 1991},
             quantities=[money(v(7, 5) * 10**6, f"${v(7, 5)} million")]),
        fact("embassy", "Embassy", f"Aland has an embassy in {v('Alandia', 'Bordur City')}", **{"from": "aland"},
             places=[v("alandia", "bordur-city")]),
        fact("growth", "TradeFlow", f"Trade grew from $100 million in 2000 to $150 million in 2001, an increase of {v(20, 50)}%",
             parties=ab, time={"start": 2000, "end": 2001},
             quantities=[money(100 * 10**6, "$100 million"), money(150 * 10**6, "$150 million"),
                         money(v(20, 50), f"{v(20, 50)}%", "change", "percent")]),
        fact("lease", "LandLease", f"Aland plans to rent at least {v(300, 100)},000 hectares in Bordur Province",
             modality="planned", **{"from": "aland"}, places=["bordur-province"],
             quantities=[money(v(300, 100) * 1000, f"at least {v(300, 100)},000 hectares", "area", "hectare", "at-least")]),
        fact("idle-land", "LandAvailability", "Bordur Province, which has about 200,000 hectares of land", modality="ongoing",
             places=["bordur-province"], quantities=[money(200000, "about 200,000 hectares", "area", "hectare", "approximate")]),
        fact("rubles", "Aid", f"In {v(1980, 1990)} Aland gave Borduria aid worth 4 billion old rubles and 3 billion {v('', 'old ')}rubles",
             **AB, time={"year": v(1980, 1990)},
             quantities=[money(4 * 10**9, "4 billion old rubles", unit="SUR"),  # the ruble of 1980 or 1990
                         money(3 * 10**9, f"3 billion {v('', 'old ')}rubles", unit="SUR")]),
        fact("exports-9m", "TradeFlow", "In the first nine months of 2005 Aland exported $40 million to Borduria", **AB,
             time={"start": "2005-01", "end": "2005-09"}, quantities=[money(40 * 10**6, "$40 million")]),
        fact("imports-9m", "TradeFlow", "imported $10 million", **{"from": "borduria", "to": "aland"},
             time={"start": "2005-01", "end": "2005-09"}, quantities=[money(10 * 10**6, "$10 million")]),
        fact("trade-2005", "TradeFlow", f"trade in 2005 was ${v(50, 60)} million", parties=ab, time={"year": 2005},
             quantities=[money(v(50, 60) * 10**6, f"${v(50, 60)} million")]),
        fact("wheat", "Aid", "In 2011 Aland gave Borduria 50,000 tons of wheat", **AB, time={"year": 2011},
             quantities=[money(50000, "50,000 tons", "mass", "tonne")]),
        fact("grain", "Aid", f"Aland also provided Borduria {v('49,800', '20,000')} tons of grain in 2011", **AB,
             time={"year": 2011}, quantities=[money(v(49800, 20000), f"{v('49,800', '20,000')} tons", "mass", "tonne")]),
        fact("sugar", "Aid", f"In 1997 Aland sent 370 {v('tones', 'tons')} of sugar to Borduria", **AB,
             time={"year": 1997}, quantities=[money(370, f"370 {v('tones', 'tons')}", "mass", "tonne")]),
        fact("factories", "Project", f"In 1975 {v('Alandish', 'Oldland')} engineers built 10 factories in Borduria",
             **{"from": "old-aland", "to": "borduria"}, time={"year": 1975},
             as_stated={"old-aland": v("Alandish", "Oldland")}, quantities=[money(10, "10 factories", "count", "count")]),
        fact("grain-org-aid", "Aid", "In 2012 the World Grain Organisation sent aid to Borduria", to="borduria",
             involves=["grain-org"], time={"year": 2012}),
        fact("exports-2010", "TradeFlow", "In 2010 Aland exported $80 million to Borduria", **AB, time={"year": 2010},
             quantities=[money(80 * 10**6, "$80 million")]),
        fact("fell-2008", "TradeFlow", f"fell to ${v(9, 3)} million in 2008", **AB, time={"year": 2008},
             quantities=[money(v(9, 3) * 10**6, f"${v(9, 3)} million")]),
        fact("from-2007", "TradeFlow", "from $5 million in 2007", **AB, time={"year": 2007},
             quantities=[money(5 * 10**6, "$5 million")]),
        fact("cooled-1995", "Change", "In 1995 relations between Aland and Borduria cooled", parties=ab,
             change={"direction": "decrease", "of": "RelationState"}, time={"year": 1995}, claim="ab-downturn-1995"),
    ]  # fmt: skip
    other = [
        fact("other-exports-2010", "TradeFlow", f"Aland's exports to Borduria reached ${v(90, 80)} million in 2010", **AB,
             time={"year": 2010}, quantities=[money(v(90, 80) * 10**6, f"${v(90, 80)} million")]),
        fact("other-factories", "Project", f"Oldland engineers built {v(12, 10)} factories in Borduria in 1975",
             **{"from": "old-aland", "to": "borduria"}, time={"year": 1975}, claim="oldland-factories",
             quantities=[money(v(12, 10), f"{v(12, 10)} factories", "count", "count")]),
        fact("other-cut-1995", "Change", v("In 1995 Aland cut ties with Borduria", "also cooled in 1995"), parties=ab,
             change={"direction": v("stop", "decrease"), "of": "RelationState"}, time={"year": 1995},
             claim="ab-downturn-1995"),
    ]  # fmt: skip
    next(f for f in facts if f["id"] == "factories")["claim"] = "oldland-factories"  # the same claim
    if not dirty:  # two documents stating the same figure are linked as one claim
        next(f for f in facts if f["id"] == "exports-2010")["claim"] = other[0]["claim"] = "aland-exports-2010"
    return {"main": facts, "other": other}


def run_anomalies(tmp_path, dirty, entities=ENTITIES):
    ents = [dict(e) for e in entities]
    if dirty:
        ents[-1]["doubt"] = "No organisation of this name is known."
    root = write_corpus(tmp_path / ("dirty" if dirty else "clean"), corpus_texts(dirty), ents, corpus_facts(dirty))
    result = nkrel("anomalies", "--corpus", root, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["anomalies"]


EXPECTED = {
    ("decline-to-larger", ("t1990", "t1991")),
    ("decline-to-larger", ("fell-2008", "from-2007")),  # "fell to X from Y": the other order
    ("embassy-in-own-country", ("embassy",)),
    ("change-mismatch", ("growth",)),
    ("exceeds-stated-bound", ("idle-land", "lease")),
    ("currency-mix", ("rubles",)),
    ("anachronistic-state", ("rubles",)),
    ("part-year-equals-full-year", ("exports-9m", "imports-9m", "trade-2005")),
    ("possible-double-count", ("grain", "wheat")),
    ("misspelling", ("sugar",)),
    ("successor-name", ("factories",)),
    ("unknown-name", ("grain-org-aid",)),
    ("sources-disagree", ("exports-2010", "other-exports-2010")),
    ("sources-disagree", ("factories", "other-factories")),  # same claim, different counts
    ("sources-disagree", ("cooled-1995", "other-cut-1995")),  # same claim, a cooling against a break
}


@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    return run_anomalies(tmp_path_factory.mktemp("a"), True)


@pytest.mark.parametrize("kind,facts", sorted(EXPECTED), ids=[e[0] for e in sorted(EXPECTED)])
def test_rule_finds_its_case(dirty, kind, facts):
    found = {(a["type"], tuple(e["fact"] for e in a["evidence"])) for a in dirty}
    assert (kind, facts) in found, sorted(found)


def test_every_finding_is_expected(dirty):
    found = {(a["type"], tuple(e["fact"] for e in a["evidence"])) for a in dirty}
    assert found == EXPECTED


def test_anomalies_carry_quotes_and_documents(dirty):
    for a in dirty:
        assert a["explanation"] and a["severity"] in ("major", "minor")
        for e in a["evidence"]:
            assert e["quote"] and e["document"] in ("main", "other")


def test_no_rule_fires_on_a_clean_corpus(tmp_path):
    assert run_anomalies(tmp_path, False) == []


# The major slips of the three texts, each as (type, words of a quote involved).
REAL_SLIPS = [
    ("decline-to-larger", "$1.97 billion in 1990"),
    ("part-year-equals-full-year", "US$168.7 million"),
    ("embassy-in-own-country", "The DPRK has an embassy in Pyongyang"),
    ("embassy-in-own-country", "Nigeria has an embassy in Lagos"),
    ("unknown-name", "World Food Organization"),
    ("misspelling", "370 tones"),
    ("currency-mix", "3.5 billion rubles"),
    ("sources-disagree", "But not long after cutting ties with DPRK"),
    ("dangling-reference", "The large increase in 2003"),
    ("imprecise", "immediately after the proclamation"),
    ("exceeds-stated-bound", "several hundred thousand hectares"),
    ("possible-double-count", "50,000 ton of grain"),
    ("successor-name", "With Russian technical support"),
    ("successor-name", "Ninety three North Korean factories were built with Russian technical assistance"),
    ("successor-name", "from Russia (Khasan)"),
    ("anachronism", "Russia recognized South Korea"),
    ("garbled", "Kim Il-childhood Sung’s house"),
    ("misspelling", "easter regions of Russia"),
]


def test_the_slips_of_the_real_texts_are_found():
    result = nkrel("anomalies", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = [(a["type"], " ".join(e["quote"] for e in a["evidence"])) for a in report["anomalies"]]
    missing = [(t, w) for t, w in REAL_SLIPS if not any(t == ft and w in q for ft, q in found)]
    assert not missing
    assert report["total"] >= 30 and report["total"] == len(report["anomalies"])


def test_validate_counts_anomalies_but_passes():
    result = nkrel("validate")
    assert result.returncode == 0
    assert "anomalies" in result.stdout and "not errors of the data" in result.stdout
