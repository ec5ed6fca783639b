"""Mutation runs only: rdflib translates each SPARQL text once per process.

pyshacl hands rdflib the same SPARQL constraint text once per focus node, and rdflib
parses it every time: that is most of the time `nkrel build` takes (and every test
builds). A translated query is what rdflib's own prepareQuery returns for reuse with
other bindings, and evaluating it does not change it, so results are the same; only
the parsing is not repeated. tests/mutation/mutate.py puts this folder on PYTHONPATH
for the runs it starts; nkrel and the test suite never load it. rdflib is patched when
something imports it, so a process that does not use rdflib pays nothing."""

from __future__ import annotations

import importlib.abc
import sys

TARGET = "rdflib.plugins.sparql.processor"


def _patch(module) -> None:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    cls = module.SPARQLProcessor
    original = cls.query
    cache: dict = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            if key not in cache:
                cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = cache[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    cls.query = query


class _AfterImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            _patch(module)

        loader.exec_module = exec_and_patch
        return spec


sys.meta_path.insert(0, _AfterImport())
