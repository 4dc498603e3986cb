"""The public API against the official HSDS 3.0 OpenAPI description (issue 23): schemathesis
generates requests for every operation and runs its checks on each answer: no server error,
content type and headers, the response schema (ids as UUIDs), schema-valid requests accepted
(`page=0`), schema-violating ones refused, `Allow` on 405. Kept fast: a few examples per
operation, on the demo catalog.

One check is left out, `status_code_conformance`: the official description documents only 200
for every operation, so the 404 for an id that names nothing and the 400 that schema-violating
requests must get (the check `negative_data_rejection`) cannot conform to it."""

import copy
from datetime import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.hsds_openapi import openapi

EXAMPLES = 25


def _schema():
    raw = copy.deepcopy(openapi())
    raw["servers"] = [{"url": "/api/hsds"}]
    loaded = schemathesis.openapi.from_dict(raw)
    # The whole app answers 400 to a NUL byte in any parameter (PostgreSQL cannot store one).
    loaded.config.generation.update(allow_x00=False)
    return loaded


# The description's `modified_after` has the format "datetime" (JSON Schema says "date-time"): an
# unknown format means any string to a generator, so it is told what a date-time looks like.
schemathesis.openapi.format(
    "datetime",
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)).map(lambda d: d.isoformat() + "Z"),
)
schema = _schema()


@pytest.fixture
def api_app(app, demo):
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    app.config["SEARCH_RATE_LIMIT"] = "100000 per minute"
    return app


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_conforms_to_the_official_openapi(case, api_app):
    # The test transport hands the body over as sent: ask for it uncompressed (the app compresses
    # API responses for clients that accept it).
    case.call_and_validate(
        app=api_app, headers={"Accept-Encoding": "identity"}, excluded_checks=[status_code_conformance]
    )
