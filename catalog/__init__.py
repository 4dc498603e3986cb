"""Public service catalog: organizations and programmes a resident can turn to."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)

from catalog import models, views  # noqa: E402,F401
