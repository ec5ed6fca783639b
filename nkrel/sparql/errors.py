"""The one error of the query stage, in a module of its own so that every module of the
stage can raise it without importing another (query.py reads files with rdffile.py)."""


class QueryError(Exception):
    """A query that cannot run: refused, malformed, timed out, or a bad parameter."""
