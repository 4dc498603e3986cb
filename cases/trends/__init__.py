"""Anonymized trend reports for supervisors and municipal policy (/trends/); never a person."""

from flask import Blueprint

bp = Blueprint("trends", __name__)

from cases.trends import views  # noqa: E402,F401
