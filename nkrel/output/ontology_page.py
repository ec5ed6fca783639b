"""The ontology as one readable, offline HTML page (graphs/ontology.html).

Every class, property, code list (a class whose members the ontology itself lists) and
SKOS concept scheme of ontology/nkrel.ttl gets an entry with its label, definition,
domain, range, hierarchy, alignments (external superclasses, skos:closeMatch /
exactMatch ...) and the SHACL constraints of ontology/shapes.ttl that apply to it.
Everything is read from the two files; nothing is listed by hand.

Why not pyLODE: its releases for Python < 3.12 are 3.3.4 (older) and a broken 3.4.1 on
PyPI; 3.3.4 runs offline and repeatably but renders definitions as Markdown with raw
HTML passed through (an `<img onerror>` in a definition ran), and it knows neither
SHACL shapes nor code lists. This template escapes every text with html.escape, makes
no request (no script, font, image or stylesheet link; a CSP forbids them), and sorts
everything, so the same files give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

ONTOLOGY_FILE = "ontology.html"  # written by `nkrel build` next to the graph files

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

PROPERTY_KINDS = [
    (OWL + "ObjectProperty", "object-properties", "Object properties"),
    (OWL + "DatatypeProperty", "datatype-properties", "Datatype properties"),
    (OWL + "AnnotationProperty", "annotation-properties", "Annotation properties"),
]
ALIGNMENTS = [
    (SKOS + "exactMatch", "exact match"),
    (SKOS + "closeMatch", "close match"),
    (SKOS + "broadMatch", "broader match"),
    (SKOS + "narrowMatch", "narrower match"),
    (SKOS + "relatedMatch", "related match"),
    (OWL + "equivalentClass", "equivalent class"),
    (OWL + "equivalentProperty", "equivalent property"),
    (OWL + "sameAs", "same as"),
]
# Statements shown in their own rows, or not at all (the rest go to "other statements").
SHOWN = {RDF + "type", RDFS + "label", SKOS + "prefLabel", SKOS + "definition", RDFS + "comment", RDFS + "isDefinedBy",
         RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range", SKOS + "inScheme",
         SKOS + "topConceptOf", SKOS + "hasTopConcept", SKOS + "broader", SKOS + "narrower", SKOS + "altLabel",
         SKOS + "notation"} | {p for p, _ in ALIGNMENTS}  # fmt: skip
# What a SHACL parameter says, in words.
CONSTRAINT_WORDS = {
    "minCount": "at least {}", "maxCount": "at most {}", "datatype": "datatype {}", "class": "instance of {}",
    "node": "conforms to {}", "nodeKind": "node kind {}", "pattern": "matches the pattern {}",
    "hasValue": "the value {}", "minLength": "at least {} characters", "maxLength": "at most {} characters",
    "minInclusive": "≥ {}", "maxInclusive": "≤ {}", "minExclusive": "> {}", "maxExclusive": "< {}",
    "qualifiedMinCount": "at least {} such values",
    "qualifiedMaxCount": "at most {} such values", "qualifiedValueShape": "values that {}", "flags": "flags {}",
    "languageIn": "languages {}", "uniqueLang": "one value per language: {}", "equals": "equals {}",
    "disjoint": "disjoint from {}", "lessThan": "less than {}", "closed": "closed: {}",
}  # fmt: skip
LOGICAL = {"or": "one of", "and": "all of", "xone": "exactly one of", "not": "not"}


def ontology_page(ontology_file: Path | None = None, shapes_file: Path | None = None) -> bytes:
    """The documentation page (UTF-8 HTML) of the ontology and shapes files (default: the shipped ones)."""
    from rdflib import Graph

    from ..core.vocabulary import ontology_path, shapes_path

    ontology = Graph().parse(str(ontology_file or ontology_path()), format="turtle")
    shapes = Graph().parse(str(shapes_file or shapes_path()), format="turtle")
    return _Page(ontology, shapes).render().encode("utf-8")


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


class _Page:
    def __init__(self, ontology, shapes):
        self.g = ontology
        self.shapes = shapes
        self.prefixes = sorted(
            ((str(ns), p) for p, ns in [*ontology.namespaces(), *shapes.namespaces()] if p and str(ns)),
            key=lambda item: (-len(item[0]), item[1]),
        )
        self.header = self._ontology_iri()
        self.ns = self._namespace()
        self.types = self._by_type()
        self.ids: dict[str, str] = {}
        self._sections()

    # --- reading the graph ------------------------------------------------------------------

    def objects(self, s: str, p: str, graph=None) -> list:
        from rdflib import URIRef

        g = self.g if graph is None else graph
        node = s if not isinstance(s, str) else URIRef(s)
        return sorted(g.objects(node, URIRef(p)), key=lambda o: (type(o).__name__, str(o)))

    def subjects(self, p: str, o: str) -> list[str]:
        from rdflib import URIRef

        return sorted({str(s) for s in self.g.subjects(URIRef(p), URIRef(o)) if isinstance(s, URIRef)})

    def text(self, s: str, *predicates: str) -> str | None:
        """The first value of the first predicate that has one: English, then plain, then any language."""
        from rdflib import Literal

        for p in predicates:
            values = [o for o in self.objects(s, p) if isinstance(o, Literal)]
            if values:
                values.sort(key=lambda o: (getattr(o, "language", None) not in ("en", None),
                                           getattr(o, "language", None) is not None, str(o)))  # fmt: skip
                return str(values[0])
        return None

    def label(self, iri: str) -> str:
        return self.text(iri, RDFS + "label", SKOS + "prefLabel") or self.qname(iri)

    def qname(self, iri: str) -> str:
        for ns, prefix in self.prefixes:
            rest = iri[len(ns) :]
            if iri.startswith(ns) and rest and re.fullmatch(r"[A-Za-z_][\w.-]*", rest):
                return f"{prefix}:{rest}"
        return iri

    def _ontology_iri(self) -> str | None:
        found = self.subjects(RDF + "type", OWL + "Ontology")
        return found[0] if found else None

    def _namespace(self) -> str:
        preferred = self.header and self.text(self.header, "http://purl.org/vocab/vann/preferredNamespaceUri")
        return preferred or (self.header + "#" if self.header else "")

    def _by_type(self) -> dict[str, list[str]]:
        from rdflib import RDF as R
        from rdflib import URIRef

        out: dict[str, set] = {}
        for s, o in self.g.subject_objects(R.type):
            if isinstance(s, URIRef):
                out.setdefault(str(o), set()).add(str(s))
        return {t: sorted(members) for t, members in out.items()}

    # --- what goes where ------------------------------------------------------------------------

    def _sections(self) -> None:
        classes = set(self.types.get(OWL + "Class", [])) | set(self.types.get(RDFS + "Class", []))
        classes.discard(SKOS + "Concept")
        self.classes = self._sorted(c for c in classes if not c.startswith(OWL))
        self.properties = {kind: self._sorted(self.types.get(kind, [])) for kind, _, _ in PROPERTY_KINDS}
        in_scheme = {str(c) for p in (SKOS + "inScheme", SKOS + "topConceptOf") for c, _ in self._pairs(p)}
        in_scheme |= {str(c) for _, c in self._pairs(SKOS + "hasTopConcept")}
        self.schemes = self._sorted(self.types.get(SKOS + "ConceptScheme", []))
        concepts = set(self.types.get(SKOS + "Concept", [])) | in_scheme
        # A code list is a documented class with members typed by it in the ontology itself.
        self.code_lists = []
        self.members: dict[str, list[str]] = {}
        for cls in self.classes:
            members = [m for m in self.types.get(cls, []) if m not in concepts]
            if members:
                self.code_lists.append(cls)
                self.members[cls] = self._sorted(members)
        self.concepts = concepts
        documented = set(self.classes) | set(self.schemes) | concepts
        documented |= {m for ms in self.members.values() for m in ms}
        documented |= {p for ps in self.properties.values() for p in ps}
        labelled = {str(s) for p in (RDFS + "label", SKOS + "prefLabel") for s, _ in self._pairs(p)}
        self.others = self._sorted(labelled - documented - {self.header})
        for iri in [*self.classes, *[p for ps in self.properties.values() for p in ps], *self.schemes,
                    *sorted(concepts), *sorted(documented - set(self.classes)), *self.others]:  # fmt: skip
            self._anchor(iri)

    def _pairs(self, p: str) -> list:
        from rdflib import URIRef

        return [(s, o) for s, o in self.g.subject_objects(URIRef(p)) if isinstance(s, URIRef)]

    def _sorted(self, iris) -> list[str]:
        return sorted(set(iris), key=lambda i: (self.label(i).lower(), i))

    def _anchor(self, iri: str) -> str:
        if iri not in self.ids:
            local = iri[len(self.ns) :] if self.ns and iri.startswith(self.ns) else ""
            base = (
                local
                if re.fullmatch(r"[A-Za-z][\w-]*", local)
                else "t-" + re.sub(r"[^A-Za-z0-9]+", "-", iri).strip("-")
            )
            anchor, n = base, 2
            while anchor in self.ids.values():
                anchor, n = f"{base}-{n}", n + 1
            self.ids[iri] = anchor
        return self.ids[iri]

    # --- rendering ------------------------------------------------------------------------------

    def term_link(self, node) -> str:
        """A link to a documented term, an external IRI, a literal or a blank node, escaped."""
        from rdflib import BNode, Literal

        if isinstance(node, Literal):
            plain = {XSD + "integer", XSD + "decimal", XSD + "boolean", XSD + "nonNegativeInteger"}
            if str(node.datatype) in plain:  # numbers and truth values read as they are
                return f"<code>{_esc(node)}</code>"
            shown = node.datatype and str(node.datatype) != XSD + "string"
            dt = f' <span class="dt">({_esc(self.qname(str(node.datatype)))})</span>' if shown else ""
            lang = f' <span class="dt">@{_esc(node.language)}</span>' if node.language else ""
            return f"<q>{_esc(node)}</q>{lang}{dt}"
        if isinstance(node, BNode):
            return "<i>(an anonymous node)</i>"
        iri = str(node)
        if iri in self.ids:
            return f'<a href="#{_esc(self.ids[iri])}"><code>{_esc(self.qname(iri))}</code></a>'
        if re.match(r"https?://", iri):
            return f'<a class="ext" href="{_esc(iri)}"><code>{_esc(self.qname(iri))}</code></a>'
        return f"<code>{_esc(self.qname(iri))}</code>"

    def links(self, nodes) -> str:
        return ", ".join(self.term_link(n) for n in nodes)

    def render(self) -> str:
        title = self.text(self.header, DCTERMS + "title", RDFS + "label") if self.header else None
        title = title or "Ontology"
        body = [self.render_header(title), self.render_contents()]
        body.append(self.section("classes", "Classes", self.classes, self.render_class))
        for kind, anchor, heading in PROPERTY_KINDS:
            body.append(self.section(anchor, heading, self.properties[kind], self.render_property))
        body.append(self.section("code-lists", "Code lists", self.code_lists, self.render_code_list))
        body.append(self.section("concept-schemes", "Concept schemes", self.schemes, self.render_scheme))
        loose = self._sorted(c for c in self.concepts if not self.scheme_of(c))
        body.append(self.section("concepts", "Concepts in no scheme", loose, self.render_concept))
        body.append(self.section("other-terms", "Other labelled terms", self.others, self.render_other))
        style = _STYLE
        digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
        csp = f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; base-uri 'none'; form-action 'none'"
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            + "\n".join(b for b in body if b)
            + "\n</body>\n</html>\n"
        )

    def render_header(self, title: str) -> str:
        rows = []
        if self.header:
            rows.append(("IRI", f"<code>{_esc(self.header)}</code>"))
            for p, name in [(OWL + "versionIRI", "version IRI"), (OWL + "versionInfo", "version"),
                            (DCTERMS + "created", "created"), (DCTERMS + "modified", "modified"),
                            ("http://purl.org/vocab/vann/preferredNamespacePrefix", "preferred prefix"),
                            ("http://purl.org/vocab/vann/preferredNamespaceUri", "namespace"),
                            (RDFS + "seeAlso", "see also")]:  # fmt: skip
                values = self.objects(self.header, p)
                if values:
                    rows.append((name, self.links(values)))
        description = self.text(self.header, DCTERMS + "description", RDFS + "comment") if self.header else None
        out = [f"<header>\n<h1>{_esc(title)}</h1>"]
        if description:
            out.append(f"<p>{_esc(description)}</p>")
        out.append(self.table(rows))
        out.append(
            '<p class="note">The IRIs under <code>https://w3id.org/nkrel/</code> do not resolve until the '
            "redirect in <code>ontology/w3id/.htaccess</code> is published at w3id.org (see the README). "
            "Each term's fragment is its anchor on this page.</p>\n</header>"
        )
        return "\n".join(out)

    def render_contents(self) -> str:
        parts = [("classes", "Classes", self.classes)]
        parts += [(a, h, self.properties[k]) for k, a, h in PROPERTY_KINDS]
        parts += [("code-lists", "Code lists", self.code_lists), ("concept-schemes", "Concept schemes", self.schemes)]
        items = []
        for anchor, heading, iris in parts:
            if not iris:
                continue
            inner = ", ".join(f'<a href="#{_esc(self.ids[i])}">{_esc(self.label(i))}</a>' for i in iris)
            items.append(f'<li><a href="#{anchor}">{_esc(heading)}</a> ({len(iris)}): {inner}</li>')
        return f'<nav aria-label="Contents">\n<h2>Contents</h2>\n<ul>\n{chr(10).join(items)}\n</ul>\n</nav>'

    def section(self, anchor: str, heading: str, iris: list[str], render) -> str:
        if not iris:
            return ""
        return (
            f'<section id="{anchor}">\n<h2>{_esc(heading)}</h2>\n' + "\n".join(render(i) for i in iris) + "\n</section>"
        )

    def table(self, rows) -> str:
        if not rows:
            return ""
        body = "\n".join(f'<tr><th scope="row">{_esc(name)}</th><td>{value}</td></tr>' for name, value in rows)
        return f"<table>\n{body}\n</table>"

    def entry(self, iri: str, kind: str, rows: list, extra: str = "") -> str:
        definition = self.text(iri, SKOS + "definition", RDFS + "comment")
        comment = self.text(iri, RDFS + "comment") if definition != self.text(iri, RDFS + "comment") else None
        out = [f'<article id="{_esc(self.ids[iri])}">',
               f'<h3>{_esc(self.label(iri))} <span class="kind">{_esc(kind)}</span></h3>',
               f'<p class="iri"><code>{_esc(iri)}</code></p>']  # fmt: skip
        if definition:
            out.append(f'<p class="definition">{_esc(definition)}</p>')
        if comment:
            out.append(f"<p>{_esc(comment)}</p>")
        out.append(self.table([r for r in rows if r[1]]))
        out.append(extra)
        out.append("</article>")
        return "\n".join(o for o in out if o)

    def common_rows(self, iri: str) -> list:
        rows = [("also known as", self.links(self.objects(iri, SKOS + "altLabel"))),
                ("notation", self.links(self.objects(iri, SKOS + "notation")))]  # fmt: skip
        from rdflib import URIRef

        rows += [(name, self.links(self.objects(iri, p))) for p, name in ALIGNMENTS]
        other = []
        for p, o in sorted(self.g.predicate_objects(URIRef(iri)), key=lambda po: (str(po[0]), str(po[1]))):
            if str(p) not in SHOWN:
                other.append(f"{self.term_link(p)} {self.term_link(o)}")
        rows.append(("other statements", "<br>".join(other)))
        rows.append(("defined by", self.links(self.objects(iri, RDFS + "isDefinedBy"))))
        return rows

    def render_class(self, iri: str) -> str:
        supers = self.objects(iri, RDFS + "subClassOf")
        internal = [s for s in supers if str(s) in self.ids]
        external = [s for s in supers if str(s) not in self.ids]
        rows = [("subclass of", self.links(internal)), ("aligned with (subclass of)", self.links(external)),
                ("subclasses", self.links(self.subjects(RDFS + "subClassOf", iri))),
                ("domain of", self.links(self.subjects(RDFS + "domain", iri))),
                ("range of", self.links(self.subjects(RDFS + "range", iri)))]  # fmt: skip
        if iri in self.members:
            rows.append(
                ("members", f'{len(self.members[iri])}: see <a href="#list-{_esc(self.ids[iri])}">the code list</a>')
            )
        rows += self.common_rows(iri)
        return self.entry(iri, "class", rows, self.class_constraints(iri))

    def render_property(self, iri: str) -> str:
        rows = [("domain", self.links(self.objects(iri, RDFS + "domain"))),
                ("range", self.links(self.objects(iri, RDFS + "range"))),
                ("subproperty of", self.links(self.objects(iri, RDFS + "subPropertyOf"))),
                ("subproperties", self.links(self.subjects(RDFS + "subPropertyOf", iri)))]  # fmt: skip
        rows += self.common_rows(iri)
        kinds = [name for t, _, name in PROPERTY_KINDS if iri in self.types.get(t, [])]
        kind = (kinds[0][:-1] if kinds else "property").lower()
        return self.entry(iri, kind, rows, self.property_constraints(iri))

    def render_code_list(self, cls: str) -> str:
        members = self.members[cls]
        extra_preds = sorted({str(p) for m in members for p in self._predicates(m)} - SHOWN, key=self.qname)
        head = "".join(f'<th scope="col">{_esc(self.qname(p))}</th>' for p in extra_preds)
        rows = []
        for m in members:
            cells = "".join(f"<td>{self.links(self.objects(m, p))}</td>" for p in extra_preds)
            definition = self.text(m, SKOS + "definition", RDFS + "comment") or ""
            rows.append(f'<tr id="{_esc(self.ids[m])}"><td>{_esc(self.label(m))}</td><td><code>{_esc(self.qname(m))}'
                        f"</code></td>{cells}<td>{_esc(definition)}</td></tr>")  # fmt: skip
        body = "\n".join(rows)
        table = (f'<table class="list">\n<thead><tr><th scope="col">label</th><th scope="col">IRI</th>{head}'
                 f'<th scope="col">definition</th></tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>')  # fmt: skip
        return (f'<div class="codelist" id="list-{_esc(self.ids[cls])}">\n<h3>{_esc(self.label(cls))} '
                f'<span class="kind">code list, {len(members)} members of {self.term_link_plain(cls)}</span></h3>\n'
                f"{table}\n</div>")  # fmt: skip

    def term_link_plain(self, iri: str) -> str:
        return f'<a href="#{_esc(self.ids[iri])}">{_esc(self.qname(iri))}</a>'

    def _predicates(self, iri: str) -> list:
        from rdflib import URIRef

        return [p for p, _ in self.g.predicate_objects(URIRef(iri))]

    def scheme_of(self, concept: str) -> list[str]:
        from rdflib import URIRef

        schemes = {str(o) for p in (SKOS + "inScheme", SKOS + "topConceptOf") for o in self.objects(concept, p)}
        schemes |= {str(s) for s in self.g.subjects(URIRef(SKOS + "hasTopConcept"), URIRef(concept))}
        return sorted(schemes)

    def render_scheme(self, scheme: str) -> str:
        concepts = self._sorted(c for c in self.concepts if scheme in self.scheme_of(c))
        tops = {str(c) for c in self.objects(scheme, SKOS + "hasTopConcept")}
        tops |= {c for c in concepts if scheme in {str(o) for o in self.objects(c, SKOS + "topConceptOf")}}
        roots = [c for c in concepts if c in tops or not self.broader(c, concepts)]
        tree = self.concept_tree(roots, concepts, set())
        rows = [("concepts", str(len(concepts))), ("top concepts", self.links(sorted(tops)))] + self.common_rows(scheme)
        return self.entry(scheme, "concept scheme", rows, tree)

    def broader(self, concept: str, within) -> list[str]:
        up = {str(b) for b in self.objects(concept, SKOS + "broader")}
        up |= {str(s) for s in self.subjects(SKOS + "narrower", concept)}
        return sorted(up & set(within))

    def concept_tree(self, roots: list[str], concepts: list[str], seen: set) -> str:
        items = []
        for c in roots:
            if c in seen:
                continue
            seen.add(c)
            children = self._sorted(x for x in concepts if c in self.broader(x, concepts))
            items.append(f"<li>{self.render_concept(c)}{self.concept_tree(children, concepts, seen)}</li>")
        return f'<ul class="tree">{"".join(items)}</ul>' if items else ""

    def render_concept(self, concept: str) -> str:
        rows = [("broader", self.links(self.objects(concept, SKOS + "broader")))] + self.common_rows(concept)
        return self.entry(concept, "concept", rows)

    def render_other(self, iri: str) -> str:
        types = self.objects(iri, RDF + "type")
        return self.entry(iri, "term", [("type", self.links(types))] + self.common_rows(iri))

    # --- SHACL ----------------------------------------------------------------------------------

    def shape_name(self, shape) -> str:
        from rdflib import BNode

        return "an anonymous shape" if isinstance(shape, BNode) else self.qname(str(shape))

    def class_constraints(self, cls: str) -> str:
        """Node shapes that target the class or one of its superclasses, with their property constraints."""
        from rdflib import URIRef

        lines = []
        for target in self.ancestors(cls):
            for shape in sorted(self.shapes.subjects(URIRef(SH + "targetClass"), URIRef(target)), key=str):
                inherited = "" if target == cls else f" (applies to every {_esc(self.qname(target))})"
                lines.append(f"<li><code>{_esc(self.shape_name(shape))}</code>{inherited}: {self.describe(shape)}</li>")
        for shape in sorted(self.shapes.subjects(URIRef(SH + "class"), URIRef(cls)), key=str):
            path = self.path_of(shape)
            if path:
                lines.append(f"<li>values of {path} must be instances of this class"
                             f"{self.message(shape)}</li>")  # fmt: skip
        return self.constraint_list(lines)

    def property_constraints(self, prop: str) -> str:
        from rdflib import URIRef

        lines = []
        for shape in sorted(self.shapes.subjects(URIRef(SH + "path"), URIRef(prop)), key=str):
            owners = self.owners(shape)
            where = f" in {', '.join(owners)}" if owners else ""
            lines.append(f"<li>{self.describe(shape, with_path=False)}{where}</li>")
        for shape in sorted(self.shapes.subjects(URIRef(SH + "targetSubjectsOf"), URIRef(prop)), key=str):
            lines.append(f"<li>subjects of this property, <code>{_esc(self.shape_name(shape))}</code>: "
                         f"{self.describe(shape)}</li>")  # fmt: skip
        return self.constraint_list(lines)

    def constraint_list(self, lines: list[str]) -> str:
        if not lines:
            return ""
        return '<div class="shacl"><h4>SHACL constraints</h4>\n<ul>\n' + "\n".join(lines) + "\n</ul></div>"

    def ancestors(self, cls: str) -> list[str]:
        seen, todo = [cls], [cls]
        while todo:
            for s in self.objects(todo.pop(0), RDFS + "subClassOf"):
                if str(s) not in seen:
                    seen.append(str(s))
                    todo.append(str(s))
        return seen

    def owners(self, shape) -> list[str]:
        """Where a property shape is used: the node shapes (and their targets) that list it."""
        from rdflib import URIRef

        out = []
        for node in sorted(self.shapes.subjects(URIRef(SH + "property"), shape), key=str):
            targets = [
                self.term_link(t) for t in sorted(self.shapes.objects(node, URIRef(SH + "targetClass")), key=str)
            ]
            name = f"<code>{_esc(self.shape_name(node))}</code>"
            out.append(f"{name} (for {', '.join(targets)})" if targets else name)
        return out

    def path_of(self, shape) -> str:
        from rdflib import URIRef

        paths = list(self.shapes.objects(shape, URIRef(SH + "path")))
        return self.term_link(paths[0]) if paths else ""

    def message(self, shape) -> str:
        from rdflib import URIRef

        messages = sorted(str(m) for m in self.shapes.objects(shape, URIRef(SH + "message")))
        return f" — <q>{_esc(messages[0])}</q>" if messages else ""

    def describe(self, shape, with_path: bool = True, depth: int = 0) -> str:
        """A shape's constraints in words: 'nk:party: at least 2 — “message”'; property shapes nested."""
        from rdflib import BNode, URIRef
        from rdflib.collection import Collection

        if depth > 4:
            return "…"
        parts = []
        for p, o in sorted(self.shapes.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
            name = str(p)[len(SH) :] if str(p).startswith(SH) else None
            if name in CONSTRAINT_WORDS:
                value = self.describe(o, depth=depth + 1) if isinstance(o, BNode) else self.term_link(o)
                parts.append(CONSTRAINT_WORDS[name].format(value))
            elif name in LOGICAL:
                members = list(Collection(self.shapes, o)) if isinstance(o, BNode) and name != "not" else [o]
                inner = " | ".join(f"[{self.describe(m, depth=depth + 1)}]" for m in members)
                parts.append(f"{LOGICAL[name]} {inner}")
            elif name == "in":
                parts.append("one of " + self.links(Collection(self.shapes, o)))
        properties = sorted(self.shapes.objects(shape, URIRef(SH + "property")), key=str)
        nested = [self.describe(ps, depth=depth + 1) for ps in properties]
        text = "; ".join(parts)
        path = self.path_of(shape) if with_path else ""
        out = f"{path}: {text}" if path and text else (path or text)
        if nested:
            out += (": " if out else "") + "<ul>" + "".join(f"<li>{n}</li>" for n in nested) + "</ul>"
        return (out or "no constraint of its own") + self.message(shape)


_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem; color: #1b1b1b; }
h1 { font-size: 1.8rem; margin-bottom: .3rem; } h2 { border-bottom: 2px solid #ccd; margin-top: 2.5rem; }
h3 { margin: 0 0 .2rem; font-size: 1.15rem; } h4 { margin: .6rem 0 .2rem; font-size: 1rem; }
article, .codelist { border: 1px solid #dde; border-radius: 6px; padding: .8rem 1rem; margin: 1rem 0; }
article:target, tr:target { outline: 3px solid #f0b400; }
.kind { font-size: .8rem; font-weight: normal; color: #555; margin-left: .4rem; }
.iri { margin: 0 0 .4rem; color: #444; font-size: .9rem; word-break: break-all; }
.definition { font-size: 1.05rem; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; padding: .2rem .6rem; }
th[scope=row] { color: #444; font-weight: 600; white-space: nowrap; }
table.list { width: 100%; } table.list td, table.list th { border-bottom: 1px solid #e3e3ee; }
.shacl { background: #f6f7fb; padding: .3rem .8rem; border-radius: 4px; }
.note { background: #fff8e0; padding: .4rem .8rem; border-radius: 4px; }
.dt { color: #666; font-size: .85rem; } code { font-size: .92em; }
a { color: #1a4fa0; } a.ext::after { content: " \\2197"; font-size: .8em; }
ul.tree { list-style: none; padding-left: 1.2rem; }
"""

__all__ = ["ONTOLOGY_FILE", "ontology_page"]
