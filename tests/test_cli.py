from summit.extensions import db
from summit.models import User


def _users(app):
    with app.app_context():
        return db.session.scalars(db.select(User.email)).all()


def test_create_user_with_password(app, runner):
    result = runner.invoke(args=["create-user", "Mod@Example.org", "--role", "moderator",
                                 "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    assert _users(app) == ["Mod@example.org"]


def test_create_user_asks_for_password(app, runner):
    result = runner.invoke(args=["create-user", "org@example.org", "--role", "organiser"],
                           input="long-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    assert _users(app) == ["org@example.org"]


def test_unknown_role_is_refused(app, runner):
    result = runner.invoke(args=["create-user", "x@example.org", "--role", "king",
                                 "--password", "long-enough-pw"])
    assert result.exit_code != 0
    assert "choose one of: organiser, moderator, staff" in result.output
    assert _users(app) == []


def test_bad_email_short_password_and_duplicates_are_refused(app, runner):
    bad = runner.invoke(args=["create-user", "not-an-email", "--role", "organiser",
                              "--password", "long-enough-pw"])
    assert bad.exit_code != 0 and "valid e-mail" in bad.output
    short = runner.invoke(args=["create-user", "a@example.org", "--role", "organiser",
                                "--password", "short"])
    assert short.exit_code != 0 and "at least 8" in short.output
    runner.invoke(args=["create-user", "a@example.org", "--role", "organiser",
                        "--password", "long-enough-pw"])
    again = runner.invoke(args=["create-user", "A@example.org", "--role", "moderator",
                                "--password", "long-enough-pw"])
    assert again.exit_code != 0 and "already exists" in again.output
    assert _users(app) == ["a@example.org"]
