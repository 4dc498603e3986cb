"""The `flask catalog` command group; each room adds its own commands (hsds/, search/, learning/)."""

from flask.cli import AppGroup

catalog_cli = AppGroup(
    "catalog", help="Catalog data: HSDS import and export, the search index, phrases, the search log."
)
