"""Public service catalog: organizations and programmes a resident can turn to."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)

from catalog import details, models  # noqa: E402,F401  (models first: the mapper needs every table)
from catalog import curation_views, learning_views, views  # noqa: E402,F401
