"""Big JSON answers gzipped for clients that accept it (a gate's offline bundle on 3G).

Production's nginx may gzip too; this keeps the embedded default (and any proxy that doesn't)
from sending hundreds of kilobytes of plain JSON to a phone.
"""

from __future__ import annotations

import gzip
from typing import Any

from flask import Response, current_app, request

MIN_BYTES = 1024  # below this, gzip's header costs more than it saves


def json_response(payload: Any) -> Response:
    body = current_app.json.dumps(payload).encode()  # the app's own JSON: China times
    response = Response(body, mimetype="application/json")
    response.vary.add("Accept-Encoding")
    if len(body) >= MIN_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    return response
