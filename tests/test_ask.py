"""`nkrel ask`: plain-language questions routed to shipped queries, measured on a routing table."""

from __future__ import annotations

import pytest

from nkrel.sparql.ask import route
from nkrel.sparql.query import entity_names, open_store, shipped_queries

from .conftest import nkrel

# (question, the shipped query, its parameters): written before tuning the rules
TABLE = [
    ("What aid did Russia give in 2011?", "aid", {"party": "russia", "year": "2011"}),
    ("Humanitarian assistance from China", "aid", {"party": "china"}),
    ("Food donations to North Korea in 1997", "aid", {"year": "1997"}),
    ("What was the peak of trade with China?", "trade-peak", {"partner": "china"}),
    ("Highest trade value with the Soviet Union", "trade-peak", {"partner": "soviet-union"}),
    ("Trade between Russia and North Korea by year", "trade-by-year", {"partner": "russia"}),
    ("How much did Nigeria trade with the DPRK in 2019?", "trade-by-year", {"partner": "nigeria", "year": "2019"}),
    (
        "Russian exports to North Korea in 2005 for full years only",
        "trade-by-year",
        {"partner": "russia", "year": "2005", "full-years": "yes"},
    ),
    ("Trade with Russia and its predecessor", "trade-by-year", {"partner": "russia", "with-predecessors": "yes"}),
    ("What share of North Korea's trade was with the USSR?", "trade-shares", {}),
    ("Which agreements did Nigeria sign?", "agreements", {"party": "nigeria"}),
    ("Treaties signed in 2000", "agreements", {"year": "2000"}),
    ("Memorandum of understanding between Nigeria and North Korea", "agreements", {"party": "nigeria"}),
    ("Russian investments in North Korea", "investments", {"party": "russia"}),
    ("Debt written off by Russia", "debt", {"party": "russia"}),
    ("Was North Korea's debt to Russia forgiven? write off", "debt", {"party": "russia"}),
    ("North Korean workers in Russia", "labour", {"party": "russia"}),
    ("Military support from the Soviet Union", "military-support", {"party": "soviet-union"}),
    ("Sanctions on North Korea", "sanctions", {"party": "north-korea"}),
    ("Visits and meetings between Kim Jong-un and Putin", "visits-and-meetings", {}),
    ("When did the summit in 2023 happen?", "visits-and-meetings", {}),
    ("Who recognized North Korea?", "recognition-and-relations", {}),
    ("Projects of Russia in North Korea", "projects", {"party": "russia"}),
    ("What railway freight crossed the border at Khasan?", "border-freight", {}),
    ("Russia's policy towards North Korea", "policies", {"party": "russia"}),
    ("How did relations between China and North Korea stand?", "relation-states", {"party": "china"}),
    ("Did trade increase or decrease?", "changes", {}),
    ("What goods did North Korea import?", "commodities", {}),
    ("Goods by HS chapter", "goods-by-hs-chapter", {}),
    ("Why did relations with Russia cool?", "causes", {}),
    ("What was planned but did not happen?", "not-happened", {}),
    ("What is expected from the 2023 summit?", "not-happened", {}),
    ("Where do the sources disagree?", "sources-differ", {}),
    ("Which slips do the texts make?", "anomalies", {}),
    ("What did Sukhinin say?", "statements-by-speaker", {"speaker": "sukhinin"}),
    ("According to Interfax, what happened?", "statements-by-speaker", {"speaker": "interfax"}),
    ("Which documents state the same thing?", "documents-stating", {}),
    ("A timeline of the Soviet Union and North Korea", "timeline", {"partner": "soviet-union"}),
    ("Everything about China", "timeline", {"partner": "china"}),
    ("What happened in 1997?", "in-year", {"year": "1997"}),
    ("Which states are in the graph?", "entities", {}),
    ("Which companies are in the graph?", "entities", {}),
]


@pytest.fixture(scope="module")
def names(built_dir):
    return entity_names(open_store(built_dir / "nkrel.nq"))


def test_the_routing_table_is_routed_right(names):
    shipped = shipped_queries()
    assert len(TABLE) >= 40
    wrong = []
    for question, query, params in TABLE:
        got = route(question, shipped, names)
        if (got.query, got.params) != (query, params):
            wrong.append((question, (query, params), (got.query, got.params)))
    share = 1 - len(wrong) / len(TABLE)
    print(f"routed right: {len(TABLE) - len(wrong)} of {len(TABLE)} ({share:.0%})")
    for w in wrong:
        print("  wrong:", w)
    assert share >= 0.9, wrong


def test_a_question_no_query_fits_gets_the_closest_and_no_answer(names):
    got = route("What is the weather in Pyongyang tomorrow?", shipped_queries(), names)
    assert got.query is None and len(got.closest) == 3


def test_ask_prints_the_query_and_rows_with_quotes():
    result = nkrel("ask", "What aid did Russia give in 2011?")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == "query: nkrel query aid --param party=russia --param year=2011"
    assert "In addition, 10,000 ton of grain was dispatched to North Korea by Gazprom." in result.stdout


def test_ask_without_a_fitting_query_says_so():
    result = nkrel("ask", "What is the weather tomorrow?")
    assert result.returncode == 1
    assert result.stdout.startswith("No shipped query fits this question; the closest are:\n")
    assert "query: " not in result.stdout and "rows)" not in result.stdout  # no query run, no rows


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "0", "-1"])
def test_ask_refuses_a_timeout_out_of_bounds_as_query_does(value):
    """`ask --timeout nan` ended in a traceback; 0 and -1 ran and then said "ran longer than the -1 s timeout"."""
    result = nkrel("ask", "What aid did Russia give in 2011?", "--timeout", value)
    assert result.returncode == 2, result.stderr
    assert "Invalid value for '--timeout'" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
