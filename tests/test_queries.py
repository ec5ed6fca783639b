"""Every shipped query answers its question as the texts give it.

Each test runs the installed `nkrel query NAME --format json` on the shipped graph
and checks values, years and entities stated by the texts, so that a modelling
change which breaks an answer fails here.
"""

from __future__ import annotations

import json

import pytest

from nkrel.sparql.query import shipped_queries

from .conftest import nkrel

ID = "https://w3id.org/nkrel/id/"


def rows(name: str, **params) -> list[dict[str, str]]:
    args = ["query", name, "--format", "json"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = nkrel(*args)
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def find(table: list[dict[str, str]], quote: str | None = None, **expected) -> list[dict[str, str]]:
    """Rows whose cells equal `expected` and whose quote contains `quote`."""
    return [
        r
        for r in table
        if all(r.get(k) == v for k, v in expected.items()) and (quote is None or quote in r.get("quote", ""))
    ]


def one(table, quote=None, **expected) -> dict[str, str]:
    found = find(table, quote, **expected)
    assert len(found) == 1, (quote, expected, found or table)
    return found[0]


def num(value: str) -> float:
    return float(value)


TESTED = set()


def answers(name):
    TESTED.add(name)
    return lambda f: f


def test_every_shipped_query_has_a_test_and_a_description():
    shipped = shipped_queries()
    assert len(shipped) >= 20
    assert set(shipped) == TESTED, set(shipped) ^ TESTED
    for q in shipped.values():
        assert q.description and q.description[0].isupper(), q.name


def test_queries_lists_names_first():
    out = nkrel("queries").stdout.splitlines()
    assert [line.split()[0] for line in out] == sorted(shipped_queries())


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_every_shipped_query_gives_valid_sparql_json(name):
    result = nkrel("query", name, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["head"]["vars"] and data["results"]["bindings"]


@answers("trade-by-year")
def test_trade_by_year():
    china = rows("trade-by-year", partner="china")
    assert {r["partner"] for r in china} == {ID + "china"}
    peak = one(china, "$6.86 billion", when="2014")
    assert num(peak["value"]) == 6.86e9 and peak["unit"] == "USD" and peak["document"] == "trade-agreements"
    nigeria = rows("trade-by-year", partner="nigeria")
    assert {(r["direction"], num(r["value"]), r["when"]) for r in nigeria} == {
        ("North Korea -> Nigeria", 2.5e6, "2019"),
        ("Nigeria -> North Korea", 505000, "2019"),
    }
    ussr = rows("trade-by-year", partner="soviet-union")
    assert num(one(ussr, when="1990")["value"]) == 1.97e9
    assert num(one(ussr, when="1991")["value"]) == 0.58e9
    russia = rows("trade-by-year", partner="russia")
    assert num(one(russia, when="1999")["value"]) == 80e6
    assert num(one(russia, "US$105 million", when="2000")["value"]) == 105e6
    assert num(one(russia, "US$172.3 million", when="2005")["value"]) == 172.3e6
    nine_months = find(russia, when="2005-01/2005-09", measure="value")
    assert {(r["direction"], num(r["value"]), r["bound"]) for r in nine_months} == {
        ("Russia -> North Korea", 168.7e6, "exact"),
        ("North Korea -> Russia", 3.6e6, "approximate"),
    }
    fuel = find(russia, commodities="mineral fuel oil")
    assert {(r["when"], num(r["value"])) for r in fuel} == {("2002", 20e6), ("2003", 96e6)}
    assert {r["measure"] for r in russia} == {"value", "mass", "share"}


def test_trade_by_year_gives_every_unit_with_a_unit_column():
    """Russian grain stated in tonnes: 2002, 2003 and 2005 appear beside 2004 (which also has a US$ value)."""
    russia = rows("trade-by-year", partner="russia")
    grain = {(r["when"], num(r["value"]), r["bound"]) for r in russia if r["measure"] == "mass"}
    assert grain == {("2002", 890, "at-most"), ("2003", 1070, "exact"), ("2004", 34716, "exact"), ("2005", 0, "exact")}
    assert {r["unit"] for r in russia if r["measure"] == "mass"} == {"tonne"}
    assert "no more than 890 tons in 2002" in one(russia, when="2002", measure="mass")["quote"]


@answers("trade-peak")
def test_trade_peak_is_the_stated_peak_where_a_text_states_one():
    table = rows("trade-peak")
    peaks = {r["partner"]: (num(r["value"]), r["when"], r["basis"]) for r in table}
    # "peaking at $6.86 billion in 2014"
    assert peaks[ID + "china"] == (6.86e9, "2014", "stated peak")
    # "during the peak of the Soviet-DPRK trade in the late 1980s": US$1 billion, not the larger 1990 figure
    assert peaks[ID + "soviet-union"] == (1e9, "1980/1989", "stated peak")
    # no text states a peak for Russia or Nigeria: the largest value no anomaly disputes, said so;
    # the 2005 US$172.3 million (the January-September sum, flagged) is not it
    assert peaks[ID + "russia"] == (105e6, "2000", "largest undisputed value (no peak stated)")
    assert peaks[ID + "nigeria"] == (2.5e6, "2019", "largest undisputed value (no peak stated)")
    assert len(table) == 4
    assert one(rows("trade-peak", partner="china"))["quote"] == "peaking at $6.86 billion in 2014"
    assert "during the peak of the Soviet-DPRK trade" in one(table, partner=ID + "soviet-union")["quote"]
    # the stated Soviet peak is itself part of a slip (a "drop" to a larger figure): its row says so
    assert one(table, partner=ID + "soviet-union")["anomaly"] == "decline-to-larger"


VALUE_QUERIES = [
    "trade-peak",
    "trade-by-year",
    "trade-shares",
    "aid",
    "investments",
    "debt",
    "border-freight",
    "changes",
]


@pytest.mark.parametrize("name", VALUE_QUERIES)
def test_every_value_query_names_the_anomalies_of_its_rows(name):
    """The anomaly column equals the anomaly types that concern the row's fact, from the graph."""
    flagged: dict[str, set[str]] = {}
    for r in rows("SELECT ?fact ?t WHERE { ?a a nk:Anomaly ; nk:concerns ?fact ; nk:anomalyType/nk:code ?t }"):
        flagged.setdefault(r["fact"], set()).add(r["t"])
    table = rows(name)
    assert table
    for r in table:
        expected = flagged.get(r["fact"], set())
        assert set(filter(None, r.get("anomaly", "").split(", "))) == expected, r["fact"]


@answers("trade-shares")
def test_trade_shares():
    table = rows("trade-shares")
    soviet_1988 = find(table, of="North Korea", share="60", bound="approximate", when="1988")
    assert {r["document"] for r in soviet_1988} == {"trade-agreements", "encyclopedia-economic-relations"}
    assert one(table, "over 50%", when="1990")["bound"] == "more-than"
    assert one(table, "80%")["share"] == "80"


@answers("agreements")
def test_agreements():
    nigeria = rows("agreements", party="nigeria")
    signed = {(r["kind"], r["when"]) for r in nigeria if r["event"] == "signing"}
    assert ("memorandum of understanding", "2012") in signed
    assert ("cooperation agreement", "2014") in signed
    everyone = rows("agreements")
    treaty = find(everyone, "Intergovernmental Treaty on Friendship", event="signing", when="2000")
    assert treaty and treaty[0]["parties"] == "North Korea, Russia"
    assert find(everyone, "mutual aid and cooperation treaty", kind="defence agreement")
    withdrawal = one(everyone, event="withdrawal")
    assert "bilateral defense agreement" in withdrawal["quote"]
    protocol = one(everyone, "5th Meeting", kind="protocol")
    assert protocol["document"] == "encyclopedia-economic-relations"


@answers("aid")
def test_aid():
    russia = rows("aid", party="russia")
    assert "4500000000 RUR" in one(russia, "4.5 billion")["quantities"]
    assert "370 tonne" in one(russia, "370 tones")["quantities"]
    assert "3500000000 RUR" in one(russia, "3.5 billion rubles")["quantities"]  # before 1998: RUR, "old" or not
    assert "5000000 USD" in one(russia, "5m dollars")["quantities"]
    gazprom = one(rows("aid"), "Gazprom")
    assert "10000 tonne" in gazprom["quantities"]
    # a party in any role: Gazprom's grain (Gazprom, a company in Russia) is Russian aid of 2011
    russia_2011 = rows("aid", party="russia", year="2011")
    assert "10000 tonne" in one(russia_2011, "Gazprom")["quantities"]
    assert one(russia_2011, "50,000 ton of grain on a bilateral basis", quantities="50000 tonne")["from"] == "Russia"
    wheat = one(russia, "50,000 tons of wheat")
    assert wheat["modality"] == "reported" and wheat["when"].startswith("2011")
    china = rows("aid", party="china")
    assert one(china, "Between 1996 and 1998")["when"] == "1996/1998"
    assert "more-than 50 percent" in one(china, "over half")["quantities"]
    assert one(rows("aid"), "did not rule out")["modality"] == "possible"


@answers("investments")
def test_investments():
    table = rows("investments")
    assert one(table, "Over the 15 that had North Korean Investments", quantities="15 count")["from"] == "North Korea"
    six = one(table, "6 of them had 100% of DPRK capital")
    assert "6 count" in six["quantities"] and "100 percent" in six["quantities"]
    assert one(table, "a major Russian investment")["when"] == "2007"


@answers("projects")
def test_projects():
    table = rows("projects")
    factories = one(table, "93 North Korean factories")
    assert factories["from"] == "Soviet Union" and "93 count" in factories["quantities"]
    assert one(table, "Ninety three")["from"] == "Soviet Union"
    assert one(table, "gas pipeline")["modality"] == "planned"
    trucks = one(table, "less than 50 trucks")
    assert "less-than 50 count" in trucks["quantities"] and trucks["when"] == "2007"


@answers("debt")
def test_debt():
    table = rows("debt")
    assert {r["quantities"] for r in table} >= {"90 percent", "20 year"}
    assert all(r["from"] == "Russia" and r["to"] == "North Korea" for r in table)


@answers("border-freight")
def test_border_freight():
    table = rows("border-freight")
    assert {(r["from"], r["when"], r["quantities"]) for r in table} == {
        ("Soviet Union", "1989", "830000 tonne"),
        ("Russia", "1998", "150000 tonne"),
    }


@answers("policies")
def test_policies():
    table = rows("policies", party="russia")
    assert one(table, "hard currencies")["modality"] == "announced"
    assert one(table, "investing a lot in their relationship")["modality"] == "ongoing"
    assert not find(table, "January to March 2006")  # a publication, not a policy


@answers("sanctions")
def test_sanctions():
    table = rows("sanctions")
    assert one(table, "UN sanctions")["from"] == "United Nations"
    assert find(table, "approval of international sanctions")


@answers("labour")
def test_labour():
    table = rows("labour")
    assert one(table, "North Korean labour")["from"] == "North Korea"


@answers("military-support")
def test_military_support():
    table = rows("military-support")
    assert one(table, "Soviet military forces")["from"] == "Soviet Union"
    assert not find(table, "supply of weaponry")  # an expected topic of a meeting, not expected support


@answers("relation-states")
def test_relation_states():
    china = rows("relation-states", party="china")
    assert one(china, "generally been friendly")["modality"] == "ongoing"
    assert one(china, "frequently regarded")["modality"] == "reported"
    everything = rows("relation-states")
    assert not find(everything, "cooled seriously in the 1990s")  # a change, not a state
    assert 0 < len({r["fact"] for r in everything}) <= 15


@answers("recognition-and-relations")
def test_recognition_and_relations():
    table = rows("recognition-and-relations")
    soviet = one(table, kind="recognition", **{"from": "Soviet Union"})
    assert soviet["when"] == "1948-10-12" and soviet["to"] == "North Korea"
    assert one(table, kind="diplomatic relations")["when"] == "1976"
    assert {r["places"] for r in find(table, kind="embassy")} == {"Pyongyang", "Lagos"}
    assert one(table, "recognized South Korea")["to"] == "South Korea"


@answers("visits-and-meetings")
def test_visits_and_meetings():
    table = rows("visits-and-meetings")
    summit = one(table, kind="meeting", when="2023-09-12")
    assert summit["people"] == "Kim Jong Un, Vladimir Putin"
    assert find(table, "Nigerian team visited the DPRK", kind="visit", when="2012")
    assert find(table, "Mansudae Assembly Hall", kind="meeting")


@answers("documents-stating")
def test_documents_stating():
    factories = rows("documents-stating", claim="soviet-93-factories")
    assert {r["document"] for r in factories} == {"trade-agreements", "encyclopedia-economic-relations"}
    assert all(r["documents"] == "2" for r in factories)
    assert any("93" in r["quote"] for r in factories) and any("Ninety three" in r["quote"] for r in factories)
    shared = {r["claim"] for r in rows("documents-stating") if r["documents"] == "2"}
    assert {"soviet-aid-growth-1965-1968", "soviet-share-of-dprk-trade-1988"} <= shared


@answers("sources-differ")
def test_sources_differ():
    decline = rows("sources-differ", type="decline-to-larger")
    quotes = " ".join(r["quote"] for r in decline)
    assert "US$1 billion" in quotes and "$1.97 billion" in quotes
    part_year = rows("sources-differ", type="part-year-equals-full-year")
    assert {r["document"] for r in part_year} == {"encyclopedia-economic-relations"}
    assert any("US$168.7 million" in r["quote"] for r in part_year)


@answers("anomalies")
def test_anomalies():
    table = rows("anomalies")
    types = {r["type"] for r in table}
    assert {"decline-to-larger", "embassy-in-own-country", "unknown-name", "successor-name", "misspelling"} <= types
    assert len(find(table, type="embassy-in-own-country")) == 2
    majors = rows("anomalies", severity="major")
    assert majors and all(r["severity"] == "major" for r in majors)


@answers("evidence")
def test_evidence():
    from nkrel.core.corpus import default_corpus_dir

    row = one(rows("evidence", id="ta-china-dprk-trade-peak-2014"))
    text = (default_corpus_dir() / "texts" / "000_faedcd902345ce2a.txt").read_text(encoding="utf-8")
    assert text[int(row["start"]) : int(row["end"])] == row["quote"] == "peaking at $6.86 billion in 2014"
    assert row["document"] == "trade-agreements"
    assert text[: int(row["start"])].endswith(row["prefix"])
    stats = json.loads(nkrel("stats", "--format", "json").stdout)
    spans = rows("evidence")
    assert len({r["id"] for r in spans}) == stats["facts"] and len(spans) == stats["facts"] + 4  # 4 facts cite 2 spans


@answers("timeline")
def test_timeline():
    table = rows("timeline", partner="nigeria")
    years = [r["when"][:4] for r in table]
    assert years == sorted(years)
    assert {"1976", "2012", "2014", "2019"} <= set(years)
    assert {r["partnerName"] for r in table} == {"Nigeria"}


@answers("entities")
def test_entities():
    states = rows("entities", type="State")
    wikidata = {r["entity"]: r.get("wikidata") for r in states}
    assert wikidata["north-korea"] == "http://www.wikidata.org/entity/Q423"
    assert wikidata["soviet-union"] == "http://www.wikidata.org/entity/Q15180"
    assert wikidata["russia"] == "http://www.wikidata.org/entity/Q159"
    assert len({r["label"] for r in states}) == len(states), "one node per state"
    assert max(states, key=lambda r: int(r["facts"]))["entity"] == "north-korea"


@answers("facts-by-kind")
def test_facts_by_kind():
    stats = json.loads(nkrel("stats", "--format", "json").stdout)
    table = rows("facts-by-kind")
    assert sum(int(r["facts"]) for r in table) == stats["facts"]
    per_doc = {}
    for r in table:
        per_doc[r["document"]] = per_doc.get(r["document"], 0) + int(r["facts"])
    assert per_doc == stats["facts_by_document"]


@answers("names-as-stated")
def test_names_as_stated():
    table = rows("names-as-stated")
    assert find(table, "93 North Korean factories", words="Russian", meaning="Soviet Union")
    assert find(table, words="Beijing", meaning="China")


@answers("commodities")
def test_commodities():
    wheat = rows("commodities", commodity="wheat")
    assert {(r["goods"], r["hs"], r["when"]) for r in wheat} == {
        ("wheat", "1001", "2003"),
        ("wheat", "1001", "2011-08-19"),
        ("wheat", "1001", "2011-09/2011-09"),
    }
    cereals = rows("commodities", commodity="cereals")  # the concept and its narrower ones
    assert {r["fact"] for r in wheat} < {r["fact"] for r in cereals}
    assert {r["goods"] for r in cereals} == {"cereals", "wheat"}
    assert len({r["fact"] for r in cereals}) == 9
    fuels = rows("commodities", commodity="mineral-fuels")
    assert {r["goods"] for r in fuels} == {
        "mineral fuels", "petroleum and oil", "petroleum products", "petroleum gas", "electricity",
    }  # fmt: skip
    assert find(fuels, "refined oil", goods="petroleum products")
    bad = nkrel("query", "commodities", "--param", "commodity=Wheat!")
    assert bad.returncode == 2 and "a goods concept" in bad.stderr


@answers("not-happened")
def test_not_happened():
    planned = rows("not-happened", modality="planned")
    assert find(planned, "gas pipeline") and find(planned, "planning to rent")
    assert all(r["modality"] == "planned" for r in planned)
    everything = rows("not-happened")
    assert {r["modality"] for r in everything} == {
        "planned",
        "expected",
        "possible",
        "announced",
        "reported",
        "opinion",
    }
    # "speculated" now qualifies a cause (the motive of Russia's investing), not a fact


def test_year_parameter_selects_the_facts_of_that_year():
    trade_2019 = rows("trade-by-year", year="2019")
    assert {(r["partner"], num(r["value"])) for r in trade_2019} == {(ID + "nigeria", 2.5e6), (ID + "nigeria", 505000)}
    aid_1997 = rows("aid", party="russia", year="1997")
    assert aid_1997 and all(r["when"].startswith("1997") for r in aid_1997)
    assert any("4.5 billion" in r["quote"] for r in aid_1997)
    china_1997 = rows("aid", party="china", year="1997")  # the interval 1996-1998 holds 1997
    assert [r["when"] for r in china_1997] == ["1996/1998"]
    assert rows("aid", party="china", year="1999") == []
    assert {r["when"][:4] for r in rows("timeline", partner="russia", year="2011")} == {"2011"}
    mou = rows("agreements", party="nigeria", year="2012")
    assert {r["kind"] for r in mou} == {"memorandum of understanding"}
    bad = nkrel("query", "aid", "--param", "year=97")
    assert bad.returncode == 2 and "a four-digit year" in bad.stderr


@answers("causes")
def test_causes():
    cooled = rows("causes", effect="en-russia-dprk-relations-cooled-1990s")
    assert {r["cause"] for r in cooled} == {
        "en-russia-recognized-south-korea", "en-russia-hard-currency-trade", "en-russia-opted-out-defence-agreement",
    }  # fmt: skip
    assert all(r["modality"] == "stated" and r["words"].startswith(("cooled", "as Russia")) for r in cooled)
    motive = one(rows("causes", effect="ei-russia-investing-in-dprk"))
    assert motive["modality"] == "speculated" and motive["causeQuote"] == "Russia’s plans to invade Ukraine"
    decline = one(rows("causes", effect="en-russia-exports-expected-decline"))
    assert (decline["cause"], decline["causeKind"], decline["words"]) == (
        "en-dprk-nuclear-test-2006", "event", "Because of the nuclear test",
    )  # fmt: skip
    everything = rows("causes")
    assert len(everything) == 20 and len({r["effect"] for r in everything}) == 15


@answers("statements-by-speaker")
def test_statements_by_speaker():
    sukhinin = rows("statements-by-speaker", speaker="sukhinin")
    assert {r["fact"].rsplit("/", 1)[1] for r in sukhinin} == {
        "en-russia-possible-more-humanitarian-aid", "en-russia-grain-aid-2011-bilateral", "en-russia-flour-aid-wfo-2011",
    }  # fmt: skip
    assert {r["speakerName"] for r in sukhinin} == {"Sukhinin"}
    assert one(sukhinin, "did not rule out")["modality"] == "possible"
    assert len(rows("statements-by-speaker", speaker="interfax")) == 3
    kremlin = one(rows("statements-by-speaker", speaker="russia"), "50,000 tons of wheat")
    assert kremlin["words"] == "the Kremlin said" and kremlin["modality"] == "reported"
    unnamed = find(rows("statements-by-speaker"), speakerName="(unnamed)")
    assert {r["words"] for r in unnamed} == {"is frequently regarded", "it was reported"}


@answers("changes")
def test_changes():
    curtailed = rows("changes", direction="curtail")
    assert len(curtailed) == 4 and {r["modality"] for r in curtailed} == {"happened"}
    relations = rows("changes", of="RelationState")
    assert {(r["direction"], r["fact"].rsplit("/", 1)[1]) for r in relations} >= {
        ("decrease", "en-russia-dprk-relations-cooled-1990s"),
        ("stop", "ei-russia-cut-ties-dprk"),
        ("increase", "ta-nigeria-dprk-relations-improved"),
        ("decrease", "ei-dprk-china-ties-need-to-quiet-down"),
    }
    assert one(relations, "cooled seriously")["when"] == "1990/1999"
    trade = rows("changes", of="TradeFlow", direction="increase")
    assert {r["change"] for r in trade if r.get("change")} == {"10 factor", "64 percent"}
    assert one(rows("changes", direction="decrease"), "likely to sharply decline")["modality"] == "expected"
    assert one(rows("changes", direction="no-change"), "remained zero")["changed"] == "trade flow"


@answers("goods-by-hs-chapter")
def test_goods_by_hs_chapter():
    fuels = rows("goods-by-hs-chapter", chapter="27")
    assert {r["chapterName"] for r in fuels} == {"mineral fuels"}
    assert {r["hs"] for r in fuels} == {"27", "2710", "2711", "2716", ""}  # petroleum: no single heading
    cereals = rows("goods-by-hs-chapter", chapter="10")
    assert {(r["goods"], r["hs"]) for r in cereals} == {("cereals", "10"), ("wheat", "1001")}
    chapters = {r["chapter"] for r in rows("goods-by-hs-chapter")}
    assert {"10", "27", "31", "39", "44", "47", "72", "74", "76", "82", "84", "85", "86", "89", "93"} <= chapters


@answers("in-year")
def test_in_year():
    y1997 = {r["fact"].rsplit("/", 1)[1]: r["when"] for r in rows("in-year", year="1997")}
    assert y1997 == {
        "ta-china-food-aid-1996-1998": "1996/1998",
        "ta-dprk-food-shortage-1996-1998": "1996/1998",
        "en-dprk-famine-mid-1990s": "1990/1999",
        "en-russia-dprk-relations-cooled-1990s": "1990/1999",
        "en-russia-recognized-south-korea": "1990/1999",
        "en-russia-hard-currency-trade": "1990/1999",
        "en-russia-opted-out-defence-agreement": "1990/1999",
        "en-russia-humanitarian-aid-twice-1997": "1997",
        "en-russia-aid-1997-fall": "1997",
        "en-russia-aid-1997-december": "1997-12/1997-12",
        "ta-nigeria-dprk-relations-improved": "1976/",
    }
    y2020 = {r["fact"].rsplit("/", 1)[1] for r in rows("in-year", year="2020")}
    assert y2020 == {"ta-nigeria-dprk-relations-improved", "ei-economic-alliance-stronger-since-2014"}


# --- parameters bound inside the WHERE clause -----------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n, q in shipped_queries().items() if q.params))
def test_every_parametrised_query_declares_where_its_parameters_are_bound(name):
    from nkrel.sparql.query import BIND_HERE, bind_params

    q = shipped_queries()[name]
    assert BIND_HERE.search(q.text), f"{name}: no '# bind --param here' line"
    for param, (kind, _) in q.params.items():
        value = {"entity": "china", "year": "2011", "kind": "State", "goods": "cereals", "flag": "yes"}.get(kind, "x")
        bound = bind_params(q.text, q, {param: value})
        values = bound.index(f"VALUES ?{param.replace('-', '_')} ")
        assert bound.index("WHERE") < values < bound.rindex("}"), "the VALUES block sits inside the WHERE clause"
        assert "VALUES" not in bound[bound.rindex("}") :], "nothing is appended after the query"


def test_a_query_without_a_declared_place_gets_its_parameters_at_the_start_of_where():
    from nkrel.sparql.query import bind_params

    bound = bind_params("SELECT ?s WHERE { ?s a ?t } ORDER BY ?s", None, {"t": "x", "n": "3"})
    assert bound == 'SELECT ?s WHERE {\n  VALUES ?n { 3 } VALUES ?t { "x" }\n ?s a ?t } ORDER BY ?s'
    declared = "SELECT ?s WHERE {\n  ?s a ?t .\n  # bind --param here: t\n  # bind --param here\n}"
    assert bind_params(declared, None, {"t": "x", "n": "3"}) == (
        'SELECT ?s WHERE {\n  ?s a ?t .\n  # bind --param here: t\n  VALUES ?t { "x" }\n'
        "  # bind --param here\n  VALUES ?n { 3 }\n}"
    )


def test_a_party_parameter_keeps_only_facts_that_name_the_party():
    table = rows("relation-states", party="china")
    assert len(table) == 5 and all("China" in r.get("parties", "") for r in table)


# --- the first query: the text of a shipped query, a hint when nothing is found --------------


def test_queries_show_prints_a_shipped_query_that_runs_as_printed(tmp_path):
    shown = nkrel("queries", "--show", "trade-by-year")
    assert shown.returncode == 0 and shown.stdout == shipped_queries()["trade-by-year"].text
    (tmp_path / "mine.rq").write_text(shown.stdout, encoding="utf-8")
    assert (
        nkrel("query", tmp_path / "mine.rq", "--format", "csv").stdout
        == nkrel("query", "trade-by-year", "--format", "csv").stdout
    )
    missing = nkrel("queries", "--show", "trade-by-yaer")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert "no shipped query named 'trade-by-yaer'; did you mean 'trade-by-year' or " in missing.stderr


def test_a_term_the_graph_never_uses_gets_a_hint_and_the_same_exit():
    result = nkrel("query", "SELECT ?f ?v WHERE { ?f nk:quantity ?q . ?q nk:valeu ?v }")
    assert result.returncode == 1 and result.stdout.endswith("(0 rows)\n")
    assert "hint: nk:valeu does not occur in the graph; did you mean nk:Value or schema:value?\n" in result.stderr
    # a term inside a string or a comment is not a term of the query
    quiet = nkrel("query", 'SELECT ?f WHERE { ?f rdfs:label "nk:valeu" } # nk:nothing')
    assert quiet.returncode == 1 and quiet.stderr == ""
    # a query with rows gets no hint, whatever it names
    found = nkrel("query", "SELECT ?f WHERE { ?f a nk:TradeFlow OPTIONAL { ?f nk:nothing ?x } } LIMIT 1")
    assert found.returncode == 0 and found.stderr == ""


def test_the_first_query_on_the_fact_finds_nothing_and_points_to_the_quantity_path():
    """`?f schema:value ?v` silently returned 0 rows: values sit on an nk:quantity node."""
    result = nkrel("query", "SELECT ?f ?v WHERE { ?f a nk:TradeFlow ; schema:value ?v }")
    assert result.returncode == 1
    assert "hint: values, units and measures sit on a quantity node, not on the fact: ?fact nk:quantity ?q" in (
        result.stderr
    )
    right = nkrel("query", "SELECT ?f ?v WHERE { ?f a nk:TradeFlow ; nk:quantity ?q . ?q schema:value ?v }")
    assert right.returncode == 0 and right.stderr == ""


# --- one time model: years and months, whole years only, a partner with its predecessor ------


def test_every_dated_fact_has_its_years_and_part_years_their_months():
    open_ended = {ID + "fact/ta-nigeria-dprk-relations-improved", ID + "fact/ei-economic-alliance-stronger-since-2014"}
    dated = rows("SELECT ?f ?ey WHERE { ?f nk:year|nk:date|nk:start ?t . OPTIONAL { ?f nk:endYear ?ey } }")
    assert dated and {r["f"] for r in dated if "ey" not in r} == open_ended  # "since ...": no end
    months = rows("SELECT ?sm ?em WHERE { fact:en-russia-exports-2005-jan-sep nk:startMonth ?sm ; nk:endMonth ?em }")
    assert months and all((r["sm"], r["em"]) == ("1", "9") for r in months)
    assert not rows("SELECT ?f WHERE { ?f nk:year ?y ; nk:startMonth ?m }")  # a year alone is a whole year


def test_full_years_leaves_out_part_year_figures():
    russia = rows("trade-by-year", partner="russia")
    whole = rows("trade-by-year", partner="russia", **{"full-years": "yes"})
    assert {r["when"] for r in russia} - {r["when"] for r in whole} == {"2005-01/2005-09"}
    assert one(whole, "US$172.3 million", when="2005")["value"]  # the whole-year 2005 figure stays
    assert rows("trade-by-year", partner="russia", **{"full-years": "no"}) == russia
    bad = nkrel("query", "trade-by-year", "--param", "full-years=maybe")
    assert bad.returncode == 2 and "parameter full-years: yes or no, got 'maybe'" in bad.stderr


def test_a_partner_with_its_predecessor_state():
    both = rows("trade-by-year", partner="russia", **{"with-predecessors": "yes"})
    assert {r["partner"] for r in both} == {ID + "russia", ID + "soviet-union"}
    assert num(one(both, when="1990")["value"]) == 1.97e9
    assert [r for r in both if r["partner"] == ID + "russia"] == rows("trade-by-year", partner="russia")
    # a state with no predecessor: the same rows
    assert rows("trade-by-year", partner="china", **{"with-predecessors": "yes"}) == rows(
        "trade-by-year", partner="china"
    )
    timeline = rows("timeline", partner="russia", **{"with-predecessors": "yes"})
    assert {r["partnerName"] for r in timeline} == {"Russia", "Soviet Union"}
