"""Compressed public pages (Flask-Compress: zstd, Brotli or gzip, as the browser asks).

Only what anyone may read is compressed: the public catalog, its API and static files, for a
visitor who is not logged in. A staff page carries session-bound secrets (CSRF tokens) next to
text a visitor can make it reflect (a search, a name), which is what the BREACH attack measures
through compressed sizes; those pages go out uncompressed. Named by blueprint, so the core
imports no feature.
"""

from flask import Flask, request
from flask_login import current_user

from welfare.extensions import compress

PUBLIC_BLUEPRINTS = frozenset({"catalog", "hsds_api"})
PUBLIC_ENDPOINTS = frozenset({"static", "favicon"})


def _is_public() -> bool:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return True
    return request.blueprint in PUBLIC_BLUEPRINTS and not current_user.is_authenticated


def compress_public(response):
    return compress.after_request(response) if _is_public() else response


def register_compression(app: Flask) -> None:
    app.config.setdefault("COMPRESS_REGISTER", False)  # we decide which responses, not every one
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    compress.init_app(app)
    app.after_request(compress_public)
