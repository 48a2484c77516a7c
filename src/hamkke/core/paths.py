"""Paths fit for a log: the query string keeps its parameter names and loses their values.

``/api/v1/persons/?name=홍길순&birth_date=1953-08-14`` is logged as
``/api/v1/persons/?name=&birth_date=``: what kind of request it was stays readable, whose name was
searched does not reach the access log or the server log (issue 11, finding 9).
"""

from __future__ import annotations

NAME_MAX = 40  # a parameter name longer than this is not ours: cut it (it could carry a value)


def query_without_values(query: str) -> str:
    """``a=1&b=&a=2`` -> ``a=&b=``: each parameter name once, in order, without its value."""
    names: dict[str, None] = {}
    for part in query.split("&"):
        name = part.split("=", 1)[0][:NAME_MAX]
        if name:
            names[name] = None
    return "&".join(f"{name}=" for name in names)


def path_without_values(path: str) -> str:
    """A request path (as ``request.get_full_path()`` gives it) with the query's values removed."""
    base, mark, query = path.partition("?")
    if not mark:
        return path
    return f"{base}?{query_without_values(query)}"
