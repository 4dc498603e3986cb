"""Unit tests need at most an app for its config, translations and request context: no
database schema, no demo data. Form tests whose choices come from the database ask for
`database_app` (tests/conftest.py) instead."""

import pytest

from tests.conftest import make_app


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)
