"""An opt-in response header naming the process that answered, so a test can prove that requests
were spread over several gunicorn workers (issue 8 §5, tests/reliability/test_workers.py).

With ``PONTIVE_WORKER_ID_HEADER=1`` in the environment (or ``WORKER_ID_HEADER = True`` in the config),
every response carries ``X-Pontive-Worker: <host>:<pid>``. Off by default: production never tells a
client about its processes.
"""

from __future__ import annotations

import os
import socket

from flask import Flask, Response

HEADER = "X-Pontive-Worker"
ENV_VAR = "PONTIVE_WORKER_ID_HEADER"


def enabled(app: Flask) -> bool:
    return os.environ.get(ENV_VAR, "") in {"1", "true", "yes"} or bool(app.config.get("WORKER_ID_HEADER"))


def add_header(response: Response) -> Response:
    # Read per response, not once at import: gunicorn forks its workers from one master.
    response.headers[HEADER] = f"{socket.gethostname()}:{os.getpid()}"
    return response
