"""The team page: invitations by e-mail with a signed, expiring, single-use link, role
changes and removal, never without an organiser; through the pages, mail from .eml files."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from conftest import PASSWORD, csrf_token
from registration_fixtures import deliver, eml_messages, html_of, text_of

from summit.extensions import db
from summit.models import AuditEntry, Invitation, User
from summit.services.platform import team, users

TEAM = "/organiser/team"
LINK = re.compile(r"https?://\S+/join/[\w.\-]+")


@pytest.fixture
def organiser(auth):
    auth.login("olga@example.org", "organiser")
    return auth


def post(client, path, data=None, page=TEAM, **kwargs):
    token = csrf_token(client.get(page))
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def invite(client, email="mona@example.org", role="moderator", language="en", **kwargs):
    return post(client, TEAM + "/invitations",
                {"email": email, "role": role, "language": language}, **kwargs)


def sent_links(app) -> list[str]:
    deliver(app)
    return [LINK.search(text_of(message)).group(0) for message in eml_messages(app)]


def path_of(link: str) -> str:
    return link[link.index("/join/"):]


def counts(app) -> tuple:
    with app.app_context():
        return (db.session.scalar(db.select(db.func.count()).select_from(User)),
                db.session.scalar(db.select(db.func.count()).select_from(Invitation)),
                db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)))


def join(client, path, name="Mona Lisa", password="geheim-und-lang", confirm=None):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page), "name": name,
                                   "password": password,
                                   "confirm": password if confirm is None else confirm})


def test_an_invited_moderator_joins_and_is_logged_in(app, client, organiser):
    dashboard = client.get("/organiser/").get_data(as_text=True)
    assert 'href="/organiser/team"' in dashboard
    response = invite(client, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "An invitation was sent to mona@example.org." in page
    assert "mona@example.org" in page.split("Open invitations")[1]

    deliver(app)
    [message] = eml_messages(app)
    assert message["To"] == "mona@example.org"
    assert message["Subject"] == "You are invited to the Summit team"
    assert "invites you to the Summit team as Moderator" in text_of(message)
    link = LINK.search(text_of(message)).group(0)
    assert link in html_of(message)

    organiser.logout()
    form = client.get(path_of(link))
    assert form.status_code == 200 and "mona@example.org" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"
    response = join(client, path_of(link))
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderator/"
    assert client.get("/organiser/").status_code == 403  # logged in, as a moderator
    with app.app_context():
        mona = users.find_by_email("mona@example.org")
        assert (mona.name, mona.role, mona.locale) == ("Mona Lisa", "moderator", "en")
        assert users.authenticate("mona@example.org", "geheim-und-lang") == mona

    # Single use: the same link again changes nothing.
    before = counts(app)
    again = client.get(path_of(link))
    assert again.status_code == 410
    assert "used already" in again.get_data(as_text=True)
    assert join(client, path_of(link), name="Someone Else").status_code == 410
    assert counts(app) == before


def test_german_invitation_and_page(app, client, organiser):
    invite(client, "jury@example.org", role="jury", language="de")
    deliver(app)
    [message] = eml_messages(app)
    assert message["Subject"] == "Sie sind in das Summit-Team eingeladen"
    text = text_of(message)
    assert "lädt Sie mit der Rolle Jury in das Summit-Team ein." in text
    assert "bis zum 7. Dezember 2026" in text or "Dezember" in text or "Januar" in text
    organiser.logout()
    link = LINK.search(text).group(0)
    page = client.get(path_of(link), headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Dem Team beitreten" in page
    response = join(client, path_of(link), password="kurz")
    assert response.status_code == 422
    with app.app_context():
        assert users.find_by_email("jury@example.org") is None


def test_german_team_page_messages(app, client, organiser):
    headers = {"Accept-Language": "de"}
    page = client.get(TEAM, headers=headers).get_data(as_text=True)
    assert "Jemanden einladen" in page and "Mitglieder" in page
    response = invite(client, "kein-mail", headers=headers)
    assert response.status_code == 422
    assert "gültige E-Mail-Adresse" in response.get_data(as_text=True)


@pytest.mark.parametrize("email, message, status", [
    ("not-an-address", "Please enter a valid e-mail address", 422),
    ("", "This field is required.", 422),
    ("olga@example.org", "olga@example.org is already in the team.", 409),
    ("OLGA@example.org", "is already in the team.", 409),
])
def test_bad_invitations_change_nothing(app, client, organiser, email, message, status):
    before = counts(app)
    response = invite(client, email)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert counts(app) == before
    assert eml_messages(app) == [] and deliver(app).total == 0


def test_an_unknown_role_or_a_second_invitation_is_refused(app, client, organiser):
    assert invite(client, role="admin").status_code == 422
    invite(client)
    before = counts(app)
    response = invite(client, "Mona@Example.org")
    assert response.status_code == 409
    assert "is already invited" in response.get_data(as_text=True)
    assert counts(app) == before


def test_resend_makes_a_new_link_and_kills_the_old(app, client, organiser):
    invite(client)
    with app.app_context():
        invitation_id = db.session.scalar(db.select(Invitation.id))
    response = post(client, f"{TEAM}/invitations/{invitation_id}/resend", follow_redirects=True)
    assert "the old link no longer works" in response.get_data(as_text=True)
    old, new = sent_links(app)
    assert old != new
    organiser.logout()
    assert client.get(path_of(old)).status_code == 410
    assert "only the link in the newest e-mail works" in client.get(
        path_of(old)).get_data(as_text=True)
    assert join(client, path_of(new)).status_code == 302


def test_withdrawn_expired_and_forged_links(app, client, organiser):
    invite(client)
    invite(client, "second@example.org")
    withdrawn_link, expired_link = sent_links(app)
    with app.app_context():
        first = db.session.scalar(db.select(Invitation).where(
            Invitation.email == "mona@example.org"))
        first_id = first.id
    response = post(client, f"{TEAM}/invitations/{first_id}/withdraw", follow_redirects=True)
    assert "The invitation to mona@example.org is withdrawn" in response.get_data(as_text=True)
    # Withdrawn: gone from the page; withdrawing again is a 404, not a 500.
    assert "mona@example.org" not in client.get(TEAM).get_data(as_text=True)
    assert post(client, f"{TEAM}/invitations/{first_id}/withdraw").status_code == 404
    organiser.logout()
    before = counts(app)
    answer = client.get(path_of(withdrawn_link))
    assert answer.status_code == 410 and "withdrawn" in answer.get_data(as_text=True)

    later = team.utcnow() + timedelta(days=8)
    with mock.patch("itsdangerous.timed.time.time", return_value=later.timestamp()):
        answer = client.get(path_of(expired_link))
    assert answer.status_code == 410 and "expired" in answer.get_data(as_text=True)

    forged = path_of(expired_link)[:-3] + "abc"
    assert client.get(forged).status_code == 404
    assert client.get("/join/nothing-signed-here").status_code == 404
    with app.app_context():
        other = team.URLSafeTimedSerializer("another secret", salt=team._SALT)
        nonce = db.session.scalar(db.select(Invitation.nonce).where(
            Invitation.email == "second@example.org"))
        second_id = db.session.scalar(db.select(Invitation.id).where(
            Invitation.email == "second@example.org"))
        foreign = other.dumps([second_id, nonce])
    assert client.get(f"/join/{foreign}").status_code == 404
    assert counts(app) == before


def test_role_change_remove_and_the_last_organiser(app, client, organiser, auth):
    mona_id = auth.make_user("mona@example.org", "moderator", name="Mona")
    with app.app_context():
        olga_id = users.find_by_email("olga@example.org").id
    response = post(client, f"{TEAM}/members/{mona_id}/role", {f"m{mona_id}-role": "staff"},
                    follow_redirects=True)
    assert "Mona is now Registration desk." in response.get_data(as_text=True)

    # Olga is the only organiser: she can neither step down nor leave.
    before = counts(app)
    response = post(client, f"{TEAM}/members/{olga_id}/role", {f"m{olga_id}-role": "jury"})
    assert response.status_code == 409
    assert "is the last organiser and must stay one" in response.get_data(as_text=True)
    response = post(client, f"{TEAM}/members/{olga_id}/remove")
    assert response.status_code == 409
    assert "is the last organiser and cannot be removed" in response.get_data(as_text=True)
    assert counts(app) == before

    # Removing Mona: she can no longer log in, her past actions keep her name.
    response = post(client, f"{TEAM}/members/{mona_id}/remove", follow_redirects=True)
    assert "Mona was removed from the team" in response.get_data(as_text=True)
    with app.app_context():
        assert users.authenticate("mona@example.org", PASSWORD) is None
        actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["team.role_changed", "team.removed"]
    assert post(client, f"{TEAM}/members/{mona_id}/role",
                {f"m{mona_id}-role": "jury"}).status_code == 422
    # A removed person cannot be invited back under the same address.
    assert invite(client, "mona@example.org").status_code == 409
    assert post(client, f"{TEAM}/members/999999/remove").status_code == 404


def test_two_organisers_can_hand_over(app, client, organiser, auth):
    paul = auth.make_user("paul@example.org", "organiser", name="Paul")
    with app.app_context():
        olga_id = users.find_by_email("olga@example.org").id
    assert post(client, f"{TEAM}/members/{paul}/role",
                {f"m{paul}-role": "organiser"}, follow_redirects=True).status_code == 200
    response = post(client, f"{TEAM}/members/{olga_id}/role", {f"m{olga_id}-role": "jury"})
    assert response.status_code == 302
    assert client.get(TEAM).status_code == 403  # Olga is jury now


def test_the_team_log_reads_as_sentences(app, client, organiser, make_event):
    slug = make_event()
    invite(client)
    link = sent_links(app)[0]
    organiser.logout()
    join(client, path_of(link))
    organiser.logout()
    organiser.login("olga@example.org")
    log = client.get(f"/organiser/events/{slug}/audit").get_data(as_text=True)
    assert "invited mona@example.org to the team as Moderator." in log
    assert "Mona Lisa accepted the invitation and joined the team as Moderator." in log
    # Joining chose Mona's language (English) for this browser; switch it.
    post(client, "/language/de", page="/")
    german = client.get(f"/organiser/events/{slug}/audit").get_data(as_text=True)
    assert "Mona Lisa hat die Einladung angenommen" in german


def test_jury_accounts_from_the_cli_and_no_change_without_csrf(app, client, runner, organiser):
    result = runner.invoke(args=["create-user", "judge@example.org", "--role", "jury",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    before = counts(app)
    response = client.post(TEAM + "/invitations", data={"email": "x@example.org",
                                                        "role": "staff", "language": "en"})
    assert response.status_code == 400
    assert counts(app) == before
