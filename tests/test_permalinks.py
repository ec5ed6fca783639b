"""Permalinks for every control of the network page: each select, checkbox, radio, range
and tab, changed from the page's opening state, puts itself in the URL's #hash, and the
page reopened at that URL shows every control as it was. The controls are read from the
page itself, so a control added later without a hash entry fails this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkrel.output.network import network_graph, render_network_html
from nkrel.pipeline import build_graph

from .browser import open_page, wait_ready
from .network_fixtures import ALPHA, BETA, small_corpus

# Every control a person can set, as a unique selector (its id, or its tag with its name,
# value and data-* attributes). The search box is left out: what it finds is a selection,
# and the selection travels in the hash (node=...), which test_browser checks.
CONTROLS = """() => {
  const key = c => c.id ? '#' + CSS.escape(c.id) : c.tagName.toLowerCase() + [...c.attributes]
      .filter(a => a.name.startsWith('data-') || a.name === 'name' || a.name === 'value')
      .map(a => '[' + a.name + '="' + CSS.escape(a.value) + '"]').join('');
  return [...document.querySelectorAll('select, input:not([type=search]), [role=tab]')].map(key);
}"""

# What every control shows now, and the page's own account of its state.
SNAPSHOT = """(keys) => {
  const out = {};
  for (const k of keys) {
    const c = document.querySelector(k);
    out[k] = c.getAttribute('role') === 'tab' ? c.getAttribute('aria-selected')
      : (c.type === 'checkbox' || c.type === 'radio') ? c.checked : c.value;
  }
  return {controls: out, state: nkrel.state()};
}"""

# Change one control as a person would (opening its view first, and choosing a year mode
# when it is disabled until one is chosen); says what it did.
CHANGE = """(k) => {
  const c = document.querySelector(k);
  const fire = (x, type) => x.dispatchEvent(new Event(type, {bubbles: true}));
  const view = c.closest('[role=tabpanel]');
  if (view) { document.getElementById(view.getAttribute('aria-labelledby')).click(); }
  if (c.disabled) {
    const mode = document.getElementById('year-mode');
    mode.value = 'between'; fire(mode, 'change');
  }
  if (c.disabled) { return 'disabled'; }
  if (c.getAttribute('role') === 'tab') {
    if (c.getAttribute('aria-selected') === 'true') { return 'already selected'; }
    c.click();
  } else if (c.tagName === 'SELECT') {
    const other = [...c.options].find(o => o.value !== c.value);
    if (!other) { return 'a single option'; }
    c.value = other.value; fire(c, 'input'); fire(c, 'change');
  } else if (c.type === 'checkbox') {
    c.click();
  } else if (c.type === 'radio') {
    if (c.checked) { return 'set with its group'; }  // choosing another radio of the group unchecks it
    c.click();
  } else if (c.type === 'range') {  // the middle: a year range stays well-formed whichever end moves
    const mid = String(Math.round((Number(c.min) + Number(c.max)) / 2));
    c.value = c.value === mid ? c.min : mid; fire(c, 'input'); fire(c, 'change');
  } else {
    return 'an unknown kind of control: ' + c.type;
  }
  return 'changed';
}"""


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("permalinks")
    graph = network_graph(build_graph(small_corpus(tmp / "corpus")).dataset, texts={"alpha": ALPHA, "beta": BETA})
    path = tmp / "network.html"
    path.write_text(render_network_html(graph), encoding="utf-8")
    return path


def reopen(page, path: Path, hash: str = "") -> None:
    page.goto("about:blank")
    page.goto(path.resolve().as_uri() + hash)
    wait_ready(page)


# which view's tabpanel holds a control ('' for the filters beside every view)
VIEW_OF = """(k) => { const v = document.querySelector(k).closest('[role=tabpanel]'); return v ? v.id : ''; }"""
VIEWS = "() => [...document.querySelectorAll('[role=tabpanel]')].map(v => v.id)"


def test_every_control_travels_in_the_permalink(browser, page_path):
    """In one batch per view (the filters, that view's tab and its own controls), so that
    the page is opened twice per view, not twice per control; every control of a batch
    must show a setting other than its opening one, so none is left untested."""
    page, requests, errors = open_page(browser, page_path)
    keys = page.evaluate(CONTROLS)
    assert len(keys) == len(set(keys)) and all(page.locator(k).count() == 1 for k in keys), keys
    kinds = page.evaluate("() => [...document.querySelectorAll('select, input, [role=tab]')].map(c => c.type)")
    assert {"select-one", "checkbox", "radio", "range", "button"} <= set(kinds)  # the enumeration sees each kind
    opening = page.evaluate(SNAPSHOT, keys)
    where = {k: page.evaluate(VIEW_OF, k) for k in keys}
    tabs = {k: page.evaluate("k => document.querySelector(k).getAttribute('aria-controls')", k) for k in keys}
    lost, unchangeable = {}, set()
    for view in page.evaluate(VIEWS):
        batch = [k for k in keys if where[k] in ("", view) and tabs[k] in (None, view)]
        reopen(page, page_path)
        for key in batch:
            done = page.evaluate(CHANGE, key)
            if done in ("already selected", "a single option"):  # no other setting a person could choose
                unchangeable.add(key)
            elif done != "set with its group":
                assert done == "changed", (key, done)
        changed, link = page.evaluate(SNAPSHOT, keys), page.evaluate("() => location.hash")
        same = [k for k in batch if k not in unchangeable and changed["controls"][k] == opening["controls"][k]]
        assert same == [], f"{view}: these controls were changed back by others of the batch: {same}"
        reopen(page, page_path, link)
        again = page.evaluate(SNAPSHOT, keys)
        if again != changed:
            lost[view] = (link, {k: (v, again["controls"][k]) for k, v in changed["controls"].items()
                                 if again["controls"][k] != v}, again["state"] == changed["state"])  # fmt: skip
    assert unchangeable <= {"#tab-network", "#trade-relation"}, unchangeable  # the open tab; one series here
    assert lost == {}, "settings the permalink loses (hash, {control: (set, reopened)}, state kept): " + repr(lost)
    assert requests.blocked == [] and errors == []
    page.context.close()
