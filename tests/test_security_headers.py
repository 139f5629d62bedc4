import pytest


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/events", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client):
    for path in ("/", "/login"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "onclick=" not in html


def test_hsts_and_secure_cookie_over_https(app_config, app):
    from summit import create_app

    secure_app = create_app({**app_config, "SESSION_COOKIE_SECURE": True})
    response = secure_app.test_client().get("/")
    assert "max-age" in response.headers["Strict-Transport-Security"]
