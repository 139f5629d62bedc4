import json
import urllib.request


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_gunicorn_serves_the_app(live_server):
    with urllib.request.urlopen(live_server.url + "/api/v1/events") as response:
        assert response.status == 200
        assert json.load(response) == []
