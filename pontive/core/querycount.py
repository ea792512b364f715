"""An opt-in count of the SQL statements each request runs, for `make bench` (issue 8 §2: "queries per
request ≤ 12 and the same at both scales").

With ``PONTIVE_QUERY_COUNT=1`` in the environment (or ``QUERY_COUNT = True`` in the config), every
response carries ``X-Query-Count``: the statements sent to the database while the request was
handled, from the first ``before_request`` hook to the last ``after_request`` one. Off by default:
production never pays for it and never tells a client about its queries.
"""

from __future__ import annotations

import os

from flask import Flask, Response, g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

HEADER = "X-Query-Count"
ENV_VAR = "PONTIVE_QUERY_COUNT"
_KEY = "_pontive_query_count"
_listening = False


def enabled(app: Flask) -> bool:
    return os.environ.get(ENV_VAR, "") in {"1", "true", "yes"} or bool(app.config.get("QUERY_COUNT"))


def _count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001 - event signature
    # Only inside a request of an app that asked for the count (its before_request set the key).
    if has_app_context() and _KEY in g:
        setattr(g, _KEY, getattr(g, _KEY) + 1)


def _start() -> None:
    setattr(g, _KEY, 0)


def _finish(response: Response) -> Response:
    if _KEY in g:
        response.headers[HEADER] = str(g.get(_KEY))
    return response


def init_app(app: Flask) -> None:
    """Register the counter when it is asked for; a no-op otherwise."""
    global _listening
    if not enabled(app):
        return
    if not _listening:  # one listener per process, whatever the number of apps
        event.listen(Engine, "before_cursor_execute", _count)
        _listening = True
    # First before_request hook and last after_request hook (those run in reverse order), so that
    # loading the signed-in user and every other hook's statements are counted.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
