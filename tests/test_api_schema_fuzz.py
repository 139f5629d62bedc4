"""Schemathesis against /api/v1/openapi.json: no 5xx, every response matches the documented
schema. Runs in-process on the database the suite targets (PostgreSQL when
SUMMIT_TEST_DATABASE_URL is set, where an unbounded id used to end in "integer out of range";
else SQLite), with the demo loaded and an organiser token: once operation by operation, once
following the links between operations (schemathesis's stateful phase)."""

import os

import pytest
import schemathesis
from conftest import app_settings, built_app, fresh_database
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    ensure_resource_availability,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from summit import create_app
from summit.services.platform import demo, users

# Semantic rules (an end after the start, a real timezone) cannot live in a JSON schema, so
# "every schema-valid body is accepted" is not a promise this API makes.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
STATEFUL_CHECKS = [ensure_resource_availability, use_after_free]
# Modest counts: the suite runs on two shared cores.
QUICK = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None}


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMMIT_INSTANCE_PATH", str(folder / "instance"))
        with fresh_database(folder) as url, built_app(app_settings(url, folder)) as app:
            with app.app_context():
                demo.seed()
            yield app


@pytest.fixture(scope="module")
def token(fuzz_app) -> str:
    with fuzz_app.app_context():
        return users.issue_api_token(users.find_by_email(demo.ORGANISER[0]))


def _published_document() -> dict:
    """The document as the API serves it. Read from an app that never opens its database:
    the cases are generated at collection time, the database they run on comes from a
    fixture (schemathesis's from_fixture does not work with pytest 9)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz",
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"})
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    # An unknown event ends every request at its 404: the demo's slug as the example lets
    # the examples and coverage phases reach the session and pitch ids behind it. Not for
    # the badge PDF: each call would print the demo's 300 badges (tests/test_badges_api.py
    # covers that door).
    for path, operations in document["paths"].items():
        for operation in operations.values() if not path.endswith(".pdf") else ():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "slug":
                    parameter["example"] = demo.SLUG
    return document


schema = schemathesis.openapi.from_dict(_published_document())


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=25, **QUICK)
def test_api_conforms_to_its_schema(case, fuzz_app, token):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    case.call_and_validate(app=fuzz_app, checks=CHECKS)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.skipif(not os.environ.get("SUMMIT_STATEFUL_FUZZ"),
                    reason="on demand: SUMMIT_STATEFUL_FUZZ=1")
def test_api_sequences_follow_the_links_between_operations(fuzz_app, token):
    """Ids returned by one call feed the next (a created session's id into its pitches, its
    pitch ids into the reorder): the links schemathesis infers from the document.

    On demand, not in the pass/fail suite: each scenario leaves its records in the shared
    database, so which links a later scenario can follow depends on the ones before it, and
    Hypothesis then stops with FlakyStrategyDefinition in some runs. What it found is kept as
    deterministic tests (tests/test_api_schedule.py, tests/test_id_bounds.py).
    """

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"app": fuzz_app, "headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS + STATEFUL_CHECKS,
                                   recorder=self.recorder)

    Workflow.run(settings=settings(max_examples=15, stateful_step_count=6, **QUICK))
