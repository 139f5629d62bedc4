"""Schemathesis against /api/v1/openapi.json: no 5xx, every response matches the documented
schema. Runs in-process on a fresh SQLite file with the demo loaded and an organiser token."""

import os
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from summit import create_app
from summit.extensions import db
from summit.services.platform import demo, users

_workdir = tempfile.mkdtemp(prefix="summit-fuzz-")
os.environ.setdefault("SUMMIT_INSTANCE_PATH", _workdir)
app = create_app({
    "TESTING": True, "SECRET_KEY": "fuzz", "RATELIMIT_ENABLED": False,
    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{_workdir}/fuzz.db",
    "SUMMIT_MAIL_DIR": f"{_workdir}/mail", "SUMMIT_BASE_URL": "http://localhost",
})
with app.app_context():
    db.create_all()
    demo.seed()
    TOKEN = users.issue_api_token(users.find_by_email(demo.ORGANISER[0]))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
    # Semantic rules (an end after the start, a real timezone) cannot live in a JSON schema,
    # so "every schema-valid body is accepted" is not a promise this API makes.
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance,
                                   content_type_conformance, response_schema_conformance,
                                   negative_data_rejection])
