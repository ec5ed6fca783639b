"""Propose fact records for the sentences of a document that no fact cites and no
not_facts entry explains. Reads only the text, the entities file and the ontology (with
its cues): never the quotes or labels of existing fact records.

Each sentence is cut into clauses; a clause with a fact-class cue, a quantity or two
parties becomes a draft (one per figure when it gives several figures with their own
times). Every draft quotes a verbatim span of the text and lists the cues behind it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from ..core.corpus import Entity
from ..ingest.coverage import split_sentences
from .clauses import TOPIC_DEFINITION, clauses
from .cues import Cues
from .dating import RELATIVE_YEAR, draft_time, each_time, label_time
from .directions import draft_direction
from .givers import each_listed_giver
from .mentions import EntityIndex, Mention, NewName
from .quantities import Quantity, find_quantities
from .references import main_pair, on_topic, pair_mentions, reference_mentions
from .times import Time, find_times

MAX_QUOTE = 600  # characters; quoting back further made long lists of figures quadratic


@dataclass
class Draft:
    document: str
    start: int  # offsets of the quote in the document
    end: int
    quote: str
    kind: str
    modality: str = "happened"
    parties: list[str] = field(default_factory=list)
    from_party: str | None = None
    to_party: str | None = None
    involves: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    agreement: str | None = None
    time: Time | None = None
    time_from_context: bool = False
    quantities: list[Quantity] = field(default_factory=list)
    as_stated: dict[str, str] = field(default_factory=dict)
    attributed_to: str | None = None
    attribution: tuple[int, int] | None = None  # the words that attribute it ("the Kremlin said")
    change: str | None = None  # change direction code (fact model v2)
    role: str | None = None  # partner role code (fact model v2)
    cues: list[str] = field(default_factory=list)
    kind_at: int = 0  # where the kind's cue is: the time nearest to it is the fact's time
    other_kinds: list[str] = field(default_factory=list)  # next best kinds, should the shapes refuse this one


@dataclass
class DraftEntity:
    id: str
    type: str
    label: str
    words: str
    start: int
    cues: list[str]
    aliases: list[str] | None = None  # default: the words found
    reference: object | None = None  # founding and dissolution from the gazetteer, with its source


@dataclass
class Explanation:
    """A line that is no sentence of the text (a heading, page chrome, a reference), proposed
    for not_facts so that coverage accounts for it."""

    start: int
    end: int
    quote: str
    reason: str
    cues: list[str]


@dataclass
class DraftSet:
    document: str
    drafts: list[Draft]
    entities: list[DraftEntity]
    sentences: int  # sentences looked at (not yet cited or explained)
    explanations: list[Explanation] = field(default_factory=list)


def draft_sentences(doc_id: str, text: str, sentences, index: EntityIndex, cues: Cues, title: str = "") -> DraftSet:
    """Drafts for the given sentences of one document (coverage.Sentence objects); `title`:
    the document's title in documents.yaml, which names its main pair before its text does."""
    all_sentences = split_sentences(doc_id, text)
    todo = {(s.start, s.end) for s in sentences}
    drafts: list[Draft] = []
    explanations: list[Explanation] = []
    new_names: dict[str, DraftEntity] = {}
    previous: _Context | None = None
    pair = main_pair(text, index, title)
    for s in all_sentences:
        recent = [e for e in (previous.agents if previous else []) if index.is_a(e, "State")]
        context = _analyse(s, text, index, cues, recent[:2] if len(recent) >= 2 else pair)
        context.main_pair = pair
        if previous is not None and (not _is_content(s, text) or "\n" in text[previous.end : s.start]):
            previous = None  # a heading or a new paragraph: the preceding sentence is no context
        if (s.start, s.end) in todo and not _is_content(s, text):
            explanations.append(_explain(s, text, cues))
        found = []
        if (s.start, s.end) in todo and _is_content(s, text):
            found = _draft_sentence(s, context, previous, index, cues, text)
            kept = on_topic(found, pair, index)
            drafts += kept
            if not kept:  # every sentence ends reviewed: one with no fact is proposed as not_facts
                explanations.append(_no_fact(s, text, cues, outside_topic=bool(found)))
            for n in context.new_names:
                _propose(new_names, n, index)
        if _is_content(s, text):
            named = [m.entity for m in _agents(context.mentions, index, text)]
            context.agents = list(dict.fromkeys(named + (previous.agents if previous else [])))[:3]
            dated = [t for t in context.times if not t.vague]
            dated += [d.time for d in found if d.time and RELATIVE_YEAR.fullmatch(d.time.stated)]
            dated.sort(key=lambda t: t.start)
            context.last_time = dated[-1] if dated else (previous.last_time if previous else None)
            previous = context
    entities = sorted(new_names.values(), key=lambda e: e.start)
    return DraftSet(doc_id, drafts, entities, len(todo), explanations)


def _explain(s, text: str, cues: Cues) -> Explanation:
    body = text[s.start : s.end]
    for group, reason in (("ReferenceListCue", "reference-list"), ("PageChromeCue", "page-chrome")):
        hit = cues.groups[group].find(body)
        if hit:
            return Explanation(s.start, s.end, body, reason, [f"{reason}: {hit[0][3]!r}"])
    if not re.search(r"[A-Za-z]{3}", body):
        return Explanation(s.start, s.end, body, "page-chrome", ["no words: page furniture"])
    return Explanation(s.start, s.end, body, "heading", ["heading: a short line that does not end like a sentence"])


def _no_fact(s, text: str, cues: Cues, outside_topic: bool = False) -> Explanation:
    """A sentence with no drafted fact: an opinion, a speculation, else background."""
    body = text[s.start : s.end]
    if outside_topic:
        return Explanation(s.start, s.end, body, "background", ["no fact drafted: it names neither Korea"])
    for group, reason in (("OpinionCue", "opinion"), ("SpeculationCue", "speculation")):
        hit = cues.groups[group].find(body)
        if hit:
            return Explanation(s.start, s.end, body, reason, [f"no fact drafted; {reason}: {hit[0][3]!r}"])
    if TOPIC_DEFINITION.search(body):
        return Explanation(s.start, s.end, body, "background", ["no fact drafted: the text's definition of its topic"])
    return Explanation(s.start, s.end, body, "background", ["no fact drafted: no event, figure or two parties"])


@dataclass
class _Context:
    text: str  # the sentence
    start: int
    end: int
    mentions: list[Mention]
    quantities: list[Quantity]
    times: list[Time]
    new_names: list[NewName]
    pair: list[str] = field(default_factory=list)  # the two states just named, else the document's main pair
    main_pair: list[str] = field(default_factory=list)  # the document's main pair of states
    last_time: Time | None = None  # the last dated time of the paragraph up to this sentence
    agents: list[str] = field(default_factory=list)  # set once drafted: the parties it names or takes from before


REFERENCE_MARK = re.compile(r"\[[^\[\]\n]{1,40}\]")


def _analyse(s, text, index: EntityIndex, cues: Cues, pair=()) -> _Context:
    body = text[s.start : s.end]
    known = [m for m in index.find(body) if not body.startswith("$", m.end)]  # "US$": a currency
    variants, new = index.find_variants(body, 0, known)
    resolved = _resolve(_dedupe(known + variants), body, index, cues)
    resolved += pair_mentions(body, list(pair), index, resolved)
    resolved += reference_mentions(body, list(pair), index, resolved)
    mentions = [_shift(m, s.start) for m in sorted(resolved, key=lambda m: m.start)]
    events = [(m.start - s.start, m.end - s.start) for m in mentions if index.is_a(m.entity, "HistoricalEvent")]
    times = [_shift(t, s.start) for t in find_times(body, cues, events)]
    masked = [(t.start - s.start, t.end - s.start) for t in times if not t.vague or t.stated[:1].isdigit()]
    masked += [(m.start - s.start, m.end - s.start) for m in mentions]
    masked += [m.span() for m in REFERENCE_MARK.finditer(body)]  # "[3]", "[needs update]": no figures
    quantities = [_shift(q, s.start) for q in find_quantities(body, cues, masked)]
    new = [_shift(n, s.start) for n in new]
    return _Context(body, s.start, s.end, mentions, quantities, times, new, list(pair))


def _shift(item, offset):
    item.start += offset
    item.end += offset
    return item


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions inside a longer one (\"North Korea\" inside \"North Korean\")."""
    out = []
    for m in mentions:
        if not any(o.start <= m.start and o.end >= m.end and (o.end - o.start) > (m.end - m.start) for o in mentions):
            out.append(m)
    return out


def _resolve(mentions: list[Mention], body: str, index: EntityIndex, cues: Cues) -> list[Mention]:
    """One entity per name: a place after 'in'/'at', else an agent; a state that existed in the sentence's years."""
    years = {y for t in find_times(body, cues) for y in t.years()}
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        by_span.setdefault((m.start, m.end), []).append(m)
    out = []
    for (start, _), options in sorted(by_span.items()):
        if len(options) > 1:
            place_word = re.search(r"(?:\bin|\bat|\bcentral|\bof|\bcity)\s+$", body[max(0, start - 10) : start])
            want_place = [o for o in options if index.is_a(o.entity, "Place")]
            options = (
                want_place if place_word and want_place else [o for o in options if o not in want_place] or options
            )
        if len(options) > 1 and years:
            y = min(years)
            alive = [o for o in options if _exists(index.entities[o.entity], y)]
            options = alive or options
        if len(options) > 1:
            options[0].cue += f" (also a name of {', '.join(o.entity for o in options[1:])})"
        out.append(options[0])
    return out


def _lifetime(e: Entity) -> tuple[str | None, str | None]:
    """Founding and dissolution dates, kept on the entity (v1) or in its reference block (v2)."""
    holder = getattr(e, "reference", None) or e
    return getattr(holder, "founded", None), getattr(holder, "dissolved", None)


def _exists(e: Entity, year: str) -> bool:
    founded, dissolved = _lifetime(e)
    return (not founded or founded[:4] <= year) and (not dissolved or year <= dissolved[:4])


def _is_content(s, text: str) -> bool:
    """Headings, page chrome and reference lines are not drafted: a sentence must end like one."""
    body = re.sub(rf"(?:{REFERENCE_MARK.pattern})+$", "", s.text.strip())  # "capitals.[2]" ends as a sentence
    words = body.split()
    if re.match(r"https?://", body) or len(words) < 4:
        return False
    ends = body[-1] in '.!?"”’)'
    first_line = text[: s.start].strip() == ""
    return ends or (len(words) >= 12 and not first_line)


def _draft_sentence(s, ctx: _Context, previous, index: EntityIndex, cues: Cues, text: str) -> list[Draft]:
    if TOPIC_DEFINITION.search(text, s.start, s.end):
        return []
    out = []
    for c_start, c_end in clauses(s, text, ctx):
        qs = [q for q in ctx.quantities if c_start <= q.start < c_end]
        groups = _quantity_groups(qs, text) or [[]]
        for i, group in enumerate(groups):
            # each figure reads its time between the figure before it and the one after it
            lo = groups[i - 1][-1].end if i else c_start
            hi = groups[i + 1][0].start if i + 1 < len(groups) else c_end
            end = c_end if i + 1 == len(groups) else _segment_end(group, ctx.times, hi, text)
            # a figure of a very long list quotes from the figure before it, not from the clause start
            long = group and end - c_start > MAX_QUOTE
            begin = _segment_start(text, lo, group[0].start) if long else c_start
            draft = _draft(s, begin, end, group, (lo, hi), ctx, previous, index, cues, text)
            if draft:
                drafts = [g for d in _each_way(draft) for g in each_listed_giver(d, ctx.mentions, ctx.main_pair, text)]
                out += [one for each in drafts for one in each_time(each, ctx.times, text)]
    return out


RECIPROCAL = re.compile(r"\b(?:each other[’']s|one another[’']s|the other(?: country)?[’']s|respective|reciprocal)\b")


def _each_way(draft: Draft) -> list[Draft]:
    """'Both countries have embassies in each other's capitals': one embassy each way."""
    if draft.kind != "Embassy" or len(draft.parties) != 2 or not RECIPROCAL.search(draft.quote):
        return [draft]
    a, b = draft.parties
    out = []
    for keeper, host in ((a, b), (b, a)):
        one = copy.copy(draft)
        one.parties, one.from_party, one.to_party = [], keeper, host
        one.cues = [*draft.cues, f"direction: one embassy each way ({RECIPROCAL.search(draft.quote).group()!r})"]
        out.append(one)
    return out


def _segment_start(text: str, lo: int, figure: int) -> int:
    """Where a figure's own words begin: after the separator that follows the previous figure."""
    cut = re.search(r"[,;]\s*", text[lo:figure])
    return lo + cut.end() if cut else lo


def _quantity_groups(qs: list[Quantity], text: str) -> list[list[Quantity]]:
    """One group per figure; a figure in brackets or 'worth' a figure right after another belongs with it."""
    groups: list[list[Quantity]] = []
    for q in qs:
        between = text[groups[-1][-1].end : q.start] if groups else ""
        joined = (
            re.fullmatch(r"\s*\(\s*", between)
            or (re.search(r"\bworth\s*$", between) and ":" not in between)
            or (len(between) <= 20 and not re.search(r"[,;]|\b(?:and|to|from|but|while|or)\b", between))
        )
        if groups and joined:
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


def _segment_end(group: list[Quantity], times: list[Time], limit: int, text: str) -> int:
    """A figure's quote ends after its own time, else where the next figure's words begin."""
    end = group[-1].end
    if label_time(group, times, text):
        return end
    for t in times:
        if end <= t.start and t.end <= limit and not t.vague:
            return t.end
    words = text[end:limit]
    cut = re.search(r"(?:[,;(]|\s(?:and|but|while|to|of|from))[^,;(]*$", words)
    return end + (cut.start() if cut else len(words.rstrip()))


def _draft(
    s, start, end, group, region, ctx: _Context, previous, index: EntityIndex, cues: Cues, text: str
) -> Draft | None:
    quote = text[start:end]
    why: list[str] = []
    names = ctx.mentions + ctx.new_names  # "HELP University": no "help" in a name
    kind_cue = _kind_cue(cues, text, (start, end), (s.start, s.end), names)
    mentions = [m for m in ctx.mentions if start <= m.start < end]
    agents = _agents(mentions, index, text)
    context_cue = cues.groups["ContextCue"].find(text, start, end)
    directed = kind_cue is not None and kind_cue[2] in cues.directed_kinds
    _the_other_state(agents, kind_cue, ctx, index, end, why)
    if len(agents) < 2:
        borrow = context_cue or directed or (not agents and (kind_cue or group or mentions))
        _borrow_parties(agents, ctx, previous, index, text, (start, end), why, borrow)
        _the_other_state(agents, kind_cue, ctx, index, end, why)  # "..., Obote signed": one state borrowed
    agents = _main_pair_first(agents, ctx.pair, why)
    ranked = sorted(cues.kinds.find(text, start, end), key=lambda m: -cues.kinds.ranks.get(m[2], 0))
    if kind_cue:
        kind = kind_cue[2]
        why.append(f"kind {kind}: {kind_cue[3]!r}")
        # the flow may be named earlier in the sentence: "exports of grains ..., but increased to 1,070 tons"
        kind = _level_not_change(kind, group, ranked + cues.kinds.find(text, s.start, start), why)
        kind = _change_of_a_flow(kind, group, ranked, why)
    elif group and group[0].measure in ("value", "mass"):
        kind = "TradeFlow"
        why.append("kind TradeFlow: a money or mass figure without other cue")
    elif len({a.entity for a in agents}) >= 2:
        kind = "RelationState"
        why.append("kind RelationState: two parties without other cue")
    else:
        return None
    draft = Draft(s.document, start, end, quote, kind, cues=why)
    draft.kind_at = kind_cue[0] if kind_cue else start
    draft.other_kinds = [k for k in dict.fromkeys(m[2] for m in ranked) if k != kind] + ["RelationState"]
    _roles(draft, mentions, agents, index, cues, text, (s.start, s.end))
    if not (draft.parties or draft.from_party or draft.to_party or draft.involves or draft.places or draft.agreement):
        return None
    modality = cues.modalities.best(text, start, end)
    if modality:
        draft.modality = modality[2]
        why.append(f"modality {modality[2]}: {modality[3]!r}")
    _attribution(draft, ctx, cues, text, why)
    change, role = cues.changes.best(text, start, end), cues.roles.best(text, start, end)
    draft.change, draft.role = (change[2] if change else None), (role[2] if role else None)
    draft.quantities = group
    why += [f"quantity: {q.stated!r}" for q in group]
    # a year from another sentence only with an explicit anchor (issue 21, item 7): "they" or
    # "the two countries" borrow the parties of the sentence before, not its year
    time_anchor = cues.groups["TimeAnchorCue"].find(text, start, end)
    draft_time(draft, group, region, ctx, previous, time_anchor, text)
    borrowed_before = [a for a in agents if 0 <= a.start < start] + (
        [draft.time] if draft.time and draft.time.start < start and draft.time.start >= s.start else []
    )
    if borrowed_before:  # the quote shows what the draft takes from earlier in its sentence
        first = min(x.start for x in borrowed_before)
        start = next((c for c in _clause_starts(s, text, ctx) if c <= first), s.start)
        if end - start <= MAX_QUOTE:  # in a very long sentence each figure quotes its own words only
            draft.start = start
            draft.quote = text[draft.start : draft.end]
    _era(draft, index)
    _after_its_end(draft, index)
    return draft


def _the_other_state(agents: list[Mention], kind_cue, ctx: _Context, index: EntityIndex, end: int, why) -> None:
    """An event of these kinds with one state of the document's pair has the other as its other
    side: "Cuban leader Fidel Castro visited in 1986", "North Korean military aid arrived in 1982"."""
    other = next((e for e in ctx.pair if agents and e != agents[0].entity), None)
    if len(agents) == 1 and kind_cue and kind_cue[2] in TO_THE_OTHER_STATE and agents[0].entity in ctx.pair and other:
        agents.append(Mention(end, end, "", other, index.entities[other].type, "the document's other state"))
        why.append(f"other side {other}: the document's other main state")


# directed kinds whose draft, naming one state of the document's main pair, has the other
# one as its other side
TO_THE_OTHER_STATE = frozenset(
    {"Visit", "Aid", "MilitarySupport", "Investment", "Labour", "Meeting", "Embassy", "Signing"}
)
# kinds measured by an amount of money or goods: a change verb with such an amount states the
# level at its time ("trade grew from US$2 million in 1985 to US$9 million in 1990")
MEASURED_KINDS = ("TradeFlow", "Aid", "Investment", "BorderFreight")


def _level_not_change(kind: str, group: list[Quantity], ranked, why: list[str]) -> str:
    """A Change whose figure is an amount (money or mass, not a percent or factor) at a
    time is the level of what changed: the flow its clause names."""
    if kind != "Change" or not group or any(q.measure not in ("value", "mass") or not q.amount for q in group):
        return kind
    measured = next((m for m in ranked if m[2] in MEASURED_KINDS), None)
    if measured is None:
        return kind
    why.append(f"kind {measured[2]}: {measured[3]!r}, the level at its time ({group[0].stated!r})")
    return measured[2]


def _change_of_a_flow(kind: str, group: list[Quantity], found, why: list[str]) -> str:
    """A flow with a change verb after it and no amount states the change: "Soviet aid to the
    DPRK expanded from 1965 to 1968" is a Change (of Aid), not the aid itself."""
    if kind not in MEASURED_KINDS or any(q.measure in ("value", "mass") for q in group):
        return kind
    flow = min((m[0] for m in found if m[2] == kind), default=None)
    change = next((m for m in found if m[2] == "Change" and flow is not None and m[0] > flow), None)
    if change is None:
        return kind
    why.append(f"kind Change: {change[3]!r} after the {kind} it changes")
    return "Change"


def _borrow_parties(
    agents: list[Mention], ctx: _Context, previous, index: EntityIndex, text: str, clause, why: list[str], borrow
) -> None:
    """A clause with fewer than two parties takes them from the rest of its sentence, and, when
    `borrow` (a context cue, a directed kind, or an event in a clause that names nobody: never
    for a sentence that names nothing and says no event, "The weather was fine."), from the
    preceding sentence's draft. Adds to `agents` in place."""
    start, end = clause
    outer = [m for m in ctx.mentions if not start <= m.start < end]
    extra = [m for m in _agents(outer, index, text) if m.entity not in {a.entity for a in agents}]
    if extra:
        why.append("parties from the rest of the sentence")
    if len(agents) + len(extra) < 2 and previous is not None and borrow:
        have = {a.entity for a in agents + extra}
        earlier = [Mention(-1, -1, "", e, index.entities[e].type, "context") for e in previous.agents]
        earlier = [m for m in _agents(earlier, index) if m.entity not in have]
        if earlier:
            why.append("parties from the preceding sentence")
        extra += earlier
    for m in extra:
        if len(agents) < 2 and m.entity not in {a.entity for a in agents}:
            agents.append(m)


def _attribution(draft: Draft, ctx: _Context, cues: Cues, text: str, why: list[str]) -> None:
    """Who the draft's words are attributed to: the speaker named right before an attribution
    cue ("the Kremlin said")."""
    attribution = cues.groups["AttributionCue"].find(text, draft.start, draft.end)
    if attribution:
        cue_at = attribution[0][0]  # the speaker is named right before the cue: "the Kremlin said"
        speaker = [m for m in ctx.mentions if m.end <= cue_at and re.fullmatch(r"[\s,]*", text[m.end : cue_at])]
        draft.attribution = (speaker[-1].start if speaker else cue_at, attribution[0][1])
        if speaker:
            draft.attributed_to = speaker[-1].entity
            why.append(f"attributed to {speaker[-1].entity}: {attribution[0][3]!r}")
        else:
            why.append(f"attributed: {attribution[0][3]!r}")


# kinds that are an act of the party named right before them ("it renounced its weapons
# programme", "Angola seized a North Korean ship"): the act decides, not the things it names
ACT_KINDS = frozenset({"Policy", "Change", "Withdrawal", "Signing", "Designation", "Recognition", "Sanction"})
RIGHT_AFTER_A_PARTY = re.compile(  # one run of spaces, then words each with its own: linear on long runs
    r"\s+(?:(?:also|then|later|formally|officially|publicly|jointly|has|had|have|was|were|subsequently)\s+)*"
)


PASSIVE = re.compile(r"\b(?:was|were|been|being)\s+$")  # "workers were deported": an act


def _an_act(text: str, at: int, names: list[tuple[int, int]]) -> bool:
    """The cue at `at` is what a party did: right after its name, or in the passive."""
    return any(RIGHT_AFTER_A_PARTY.fullmatch(text, b, at) for _, b in names) or bool(
        PASSIVE.search(text[max(0, at - 12) : at])
    )


def _first_of_item(text: str, clause, cue) -> bool:
    """The cue opens a clause that is an item of a list of acts (", and banned ...")."""
    return (
        clause[0] > 0
        and text[clause[0] - 2 : clause[0]] == ", "
        and bool(re.fullmatch(r"(?:and\s+)?", text[clause[0] : cue[0]]))
    )


def _kind_cue(cues: Cues, text: str, clause, sentence, mentions: list):
    """The kind cue of the clause, else of its sentence: an act right after a party, else the
    highest-ranked cue; a cue inside a name ("the Workers' Party of Korea") is no event."""
    names = [(m.start, m.end) for m in mentions if m.end > m.start]
    for lo, hi in (clause, sentence):
        found = [c for c in cues.kinds.find(text, lo, hi) if not any(a <= c[0] and c[1] <= b for a, b in names)]
        # an act right after its party, in the passive, or first in an item of a list of acts
        acts = [
            c for c in found if c[2] in ACT_KINDS and (_an_act(text, c[0], names) or _first_of_item(text, clause, c))
        ]
        if acts:
            return acts[0]
        if found:
            return max(found, key=lambda m: (cues.kinds.ranks.get(m[2], 0), m[1] - m[0], -m[0]))
    return None


def _main_pair_first(agents: list[Mention], pair, why: list[str]) -> list[Mention]:
    """A clause naming both states of the document's main pair and a third one is about the
    pair; the third is background ("opposing American power", "the Seoul Olympics")."""
    ids = {a.entity for a in agents}
    if len(ids) > 2 and len(pair) == 2 and set(pair) <= ids:
        why.append(f"parties: the document's main pair, not {sorted(ids - set(pair))}")
        return [a for a in agents if a.entity in pair]
    return agents


def _clause_starts(s, text, ctx) -> list[int]:
    return sorted((c for c, _ in clauses(s, text, ctx)), reverse=True)


def _agents(mentions: list[Mention], index: EntityIndex, text: str = "") -> list[Mention]:
    out, seen = [], set()
    for m in mentions:
        if text and _in_brackets(text, m.start):
            continue
        if index.is_a(m.entity, "Agent") and not index.is_a(m.entity, "Person") and m.entity not in seen:
            out.append(m)
            seen.add(m.entity)
    return out


def _in_brackets(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("(", line_start, pos) > text.count(")", line_start, pos)


def _roles(draft: Draft, mentions, agents, index: EntityIndex, cues: Cues, text: str, sentence) -> None:
    for m in mentions:
        if m.cue.startswith("fuzzy"):
            draft.cues.append(f"entity {m.entity}: {m.cue} for {m.words!r}")
    places, involves = [], []
    for m in mentions:
        if index.is_a(m.entity, "Place") and m.entity not in places:
            places.append(m.entity)
        elif index.is_a(m.entity, "Agreement"):
            if draft.kind in ("Signing", "AgreementInForce", "Withdrawal") and draft.agreement is None:
                draft.agreement = m.entity
            elif m.entity not in involves:
                involves.append(m.entity)
        elif not index.is_a(m.entity, "Agent") or index.is_a(m.entity, "Person"):
            if m.entity not in involves:
                involves.append(m.entity)
    if draft.kind in ("Signing", "AgreementInForce", "Withdrawal") and draft.agreement is None:
        draft.agreement = _agreement_as_stated(draft, index, text)
    ids = [a.entity for a in agents]
    if draft.kind in cues.directed_kinds and len(set(ids)) >= 2:
        same = [m for m in mentions if m.entity in ids and m not in agents and not _in_brackets(text, m.start)]
        direction = draft_direction(draft, agents + same, cues, text, sentence)
        if direction:
            draft.from_party, draft.to_party = direction
            involves += [i for i in ids if i not in direction and i not in involves]
    if draft.from_party is None:
        draft.parties = ids
    draft.places = places
    draft.involves = [i for i in involves if i not in ids]


AGREEMENT = re.compile(
    r"(?:[A-Z][\w’'-]*\s+|(?:economic|trade|technical|cultural|scientific|military|friendship|cooperation|"
    r"co-operation|mutual|visa|tourism|health|media|information|bilateral|defence|defense)\s+){0,5}"
    r"(?:[Aa]greements?|[Tt]reaty|[Mm]emorandum of [Uu]nderstanding|MoU|MOU|[Pp]rotocol|[Aa]ccord|[Pp]act)\b"
)  # fmt: skip
AGREEMENT_TYPES = (("memorandum", "MemorandumOfUnderstanding"), ("mou", "MemorandumOfUnderstanding"),
                   ("treaty", "Treaty"), ("protocol", "Protocol"), ("cooperation", "CooperationAgreement"))  # fmt: skip


def _agreement_as_stated(draft: Draft, index: EntityIndex, text: str) -> str | None:
    """A signing names its agreement: one the text names but no entity has is proposed, named
    as stated ("a technical cooperation agreement"), for the reviewer to confirm."""
    from .mentions import slug

    m = AGREEMENT.search(text, draft.start, draft.end)
    if not m:
        return None
    words = m.group()
    kind = next((t for w, t in AGREEMENT_TYPES if w in words.lower()), "Agreement")
    year = sorted(draft.time.years())[0] if draft.time and draft.time.years() else ""
    eid = slug(f"{draft.document} {words} {year}")
    if eid not in index.entities:
        index.entities[eid] = Entity(eid, kind, words[0].upper() + words[1:], [words])
    draft.cues.append(f"agreement named as stated: {words!r}")
    return eid


def _era(draft: Draft, index: EntityIndex) -> None:
    """A successor's name in a time before it existed names its predecessor ('Russian' in 1989)."""
    years = draft.time.years() if draft.time else set()
    if not years:
        return
    year = min(years)
    predecessors = {e.successor: e.id for e in index.entities.values() if e.successor}
    if not any(getattr(draft, r) in predecessors for r in ("from_party", "to_party")) and not any(
        p in predecessors for p in draft.parties
    ):
        return
    mentions = {m.entity: m.words for m in index.find(draft.quote)}
    for role in ("from_party", "to_party"):
        eid = getattr(draft, role)
        e: Entity | None = index.entities.get(eid) if eid else None
        founded = _lifetime(e)[0] if e else None
        if founded and year < founded[:4] and eid in predecessors:
            setattr(draft, role, predecessors[eid])
            if eid in mentions:
                draft.as_stated[predecessors[eid]] = mentions[eid]
            draft.cues.append(f"{predecessors[eid]} for {eid}: {year} is before {founded}")
    for i, eid in enumerate(draft.parties):
        e = index.entities.get(eid)
        founded = _lifetime(e)[0] if e else None
        if founded and year < founded[:4] and eid in predecessors:
            p = predecessors[eid]
            draft.parties[i] = p
            if eid in mentions:
                draft.as_stated[p] = mentions[eid]
            draft.cues.append(f"{p} for {eid}: {year} is before {founded}")
    draft.parties = list(dict.fromkeys(draft.parties))


def _after_its_end(draft: Draft, index: EntityIndex) -> None:
    """A state borrowed from an earlier sentence, in a time after it ceased to exist, is its
    successor: "By 1999 the number stood at US$80 million" after a sentence on Soviet trade.
    A state the quote itself names stays as stated."""
    years = draft.time.years() if draft.time else set()
    if not years:
        return
    named = {m.entity for m in index.find(draft.quote)}
    for role in ("from_party", "to_party"):
        eid = getattr(draft, role)
        successor = _successor_by(eid, min(years), index, named)
        if successor:
            setattr(draft, role, successor)
            draft.cues.append(f"{successor} for {eid}: {min(years)} is after its end")
    for i, eid in enumerate(draft.parties):
        successor = _successor_by(eid, min(years), index, named)
        if successor:
            draft.parties[i] = successor
            draft.cues.append(f"{successor} for {eid}: {min(years)} is after its end")
    draft.parties = list(dict.fromkeys(draft.parties))


def _successor_by(eid: str | None, year: str, index: EntityIndex, named: set[str]) -> str | None:
    e = index.entities.get(eid) if eid else None
    if e is None or not e.successor or eid in named or e.successor not in index.entities:
        return None
    ended = _lifetime(e)[1]
    return e.successor if ended and year > ended[:4] else None


def _propose(new_names: dict[str, DraftEntity], n: NewName, index: EntityIndex) -> None:
    from .mentions import slug

    eid = slug(n.words)
    if eid in index.entities or eid in new_names:
        return
    new_names[eid] = DraftEntity(eid, n.type, n.words, n.words, n.start, [f"new name {n.words!r}"])
