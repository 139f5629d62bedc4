"""Who may call what: one table, every route of the app, every kind of caller.

Columns: anonymous, attendee (no account: their manage-link token is all they hold, sent as
a bearer token to the API), moderator (assigned to the event's session), staff (the desk),
organiser. LOGIN means a redirect to the login page. The allowed cases expect the status a
bare request gets (often 422 for an empty body): the point is that it got past the door.

The app, its users and their log-ins are made once for the module (password hashing is slow);
every test gets a fresh event of its own, so what one allowed request changes cannot leak
into another test. `test_every_route_is_in_the_table` walks `app.url_map`: a new route
without a row fails the suite.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from conftest import PASSWORD, app_settings, built_app, csrf_token, fresh_database

from summit.extensions import db
from summit.models import (
    CONFIRMED,
    Application,
    ApplicationDeck,
    Availability,
    Call,
    Category,
    Criterion,
    Event,
    EventSession,
    Invitation,
    ModeratorAssignment,
    Pitch,
    Question,
    QuestionOption,
    Registration,
    Room,
    StageMessage,
    User,
)
from summit.services.platform import team, users
from summit.services.programme import calendars
from summit.services.registrations import codes

LOGIN = "login"
ROLES = ("anonymous", "attendee", "moderator", "staff", "organiser")
# Expected status per role, in the order of ROLES.
PUBLIC = (200,) * 5
API_ORGANISER = (401, 401, 403, 403)  # + the organiser's status
API_DESK = (401, 401, 403)  # + staff and organiser
PAGE_ORGANISER = (LOGIN, LOGIN, 403, 403)
PAGE_MODERATOR = (LOGIN, LOGIN)  # + moderator, staff, organiser
PAGE_DESK = (LOGIN, LOGIN, 403)  # + staff and organiser


@dataclass(frozen=True)
class Row:
    method: str
    rule: str
    expected: tuple
    path: str = ""  # the rule with its placeholders filled from the World; default: rule
    body: dict | None = None  # JSON for the API, form fields (plus CSRF) for pages
    own_login: bool = False  # ends the session: use a client logged in just for this test

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"


def api(method, rule, expected, path="", body=None) -> Row:
    return Row(method, "/api/v1" + rule, expected, path and "/api/v1" + path, body)


ORG = "/organiser/events/<slug>"
O_PATH = "/organiser/events/{slug}"
PROGRAMME = ORG + "/programme"
P_PATH = O_PATH + "/programme"
MODS = ORG + "/moderators"
M_PATH = O_PATH + "/moderators"
ATT = ORG + "/attendees/<int:registration_id>"
A_PATH = O_PATH + "/attendees/{registration}"
Q = ORG + "/questions/<int:question_id>"
Q_PATH = O_PATH + "/questions/{question}"
SESSION = "/sessions/<int:session_id>"
S_PATH = "/sessions/{session}"

TABLE = [
    # --- JSON API --------------------------------------------------------------------------
    api("GET", "/openapi.json", PUBLIC),
    api("GET", "/events", PUBLIC),
    api("POST", "/events", (*API_ORGANISER, 422), body={}),
    api("GET", "/events/<slug>", PUBLIC, "/events/{slug}"),
    api("POST", "/events/<slug>/registrations", (422,) * 5, "/events/{slug}/registrations",
        body={}),
    api("GET", "/registrations/<token>", PUBLIC, "/registrations/{token}"),
    api("POST", "/events/<slug>/applications", (422,) * 5, "/events/{slug}/applications",
        body={}),
    api("DELETE", "/registrations/<token>", PUBLIC, "/registrations/{token}"),
    api("GET", "/events/<slug>/schedule", PUBLIC, "/events/{slug}/schedule"),
    api("GET", "/events/<slug>" + SESSION, PUBLIC, "/events/{slug}" + S_PATH),
    api("GET", "/events/<slug>/schedule/warnings", (*API_ORGANISER, 200),
        "/events/{slug}/schedule/warnings"),
    api("POST", "/events/<slug>/sessions", (*API_ORGANISER, 422), "/events/{slug}/sessions",
        body={}),
    api("POST", "/events/<slug>" + SESSION + "/pitches", (*API_ORGANISER, 422),
        "/events/{slug}" + S_PATH + "/pitches", body={}),
    api("PUT", "/events/<slug>" + SESSION + "/pitches/order", (*API_ORGANISER, 422),
        "/events/{slug}" + S_PATH + "/pitches/order", body={}),
    api("POST", "/events/<slug>" + SESSION + "/moderators", (*API_ORGANISER, 422),
        "/events/{slug}" + S_PATH + "/moderators", body={}),
    api("POST", "/events/<slug>/checkins", (*API_DESK, 200, 200), "/events/{slug}/checkins",
        body={"code": "{code}"}),
    api("GET", "/events/<slug>/checkins/snapshot", (*API_DESK, 200, 200),
        "/events/{slug}/checkins/snapshot"),
    api("GET", "/events/<slug>/badges.pdf", (*API_ORGANISER, 200), "/events/{slug}/badges.pdf"),
    # --- public pages and the attendee's own (behind the manage link's token) ---------------
    Row("GET", "/", PUBLIC),
    Row("GET", "/healthz", PUBLIC),
    Row("GET", "/login", (200, 200, 302, 302, 302)),  # logged in: off to their home page
    Row("POST", "/login", (422, 422, 302, 302, 302), body={}),
    Row("POST", "/logout", (302,) * 5, body={}, own_login=True),
    Row("POST", "/language/<code>", (302,) * 5, "/language/de", body={}),
    Row("GET", "/login/forgot", PUBLIC),
    Row("POST", "/login/forgot", (422,) * 5, body={}),
    # The signed link is the key; a forged one is refused alike for everyone.
    Row("GET", "/login/reset/<token>", (410,) * 5, "/login/reset/forged"),
    Row("POST", "/login/reset/<token>", (410,) * 5, "/login/reset/forged", body={}),
    Row("GET", "/account", (LOGIN, LOGIN, 200, 200, 200)),
    Row("POST", "/account/password", (LOGIN, LOGIN, 422, 422, 422), body={}),
    Row("POST", "/account/email", (LOGIN, LOGIN, 422, 422, 422), body={}),
    Row("GET", "/login/code", (LOGIN,) * 5),  # no password given first: back to the login
    Row("POST", "/login/code", (LOGIN,) * 5, body={}),
    Row("GET", "/account/two-factor", (*PAGE_ORGANISER, 200)),
    Row("POST", "/account/two-factor", (*PAGE_ORGANISER, 422), body={}),
    Row("POST", "/account/two-factor/disable", (*PAGE_ORGANISER, 422), body={}),
    Row("GET", "/events/<slug>", PUBLIC, "/events/{slug}"),
    Row("GET", "/events/<slug>/register", PUBLIC, "/events/{slug}/register"),
    Row("POST", "/events/<slug>/register", (422,) * 5, "/events/{slug}/register", body={}),
    Row("GET", "/events/<slug>/resend", PUBLIC, "/events/{slug}/resend"),
    Row("POST", "/events/<slug>/resend", (422,) * 5, "/events/{slug}/resend", body={}),
    Row("GET", "/events/<slug>/programme", PUBLIC, "/events/{slug}/programme"),
    Row("GET", "/events/<slug>/attendees", PUBLIC, "/events/{slug}/attendees"),
    Row("GET", "/events/<slug>/privacy", PUBLIC, "/events/{slug}/privacy"),
    Row("GET", "/events/<slug>/theme.css", PUBLIC, "/events/{slug}/theme.css"),
    Row("GET", "/theme.css", PUBLIC),
    Row("GET", "/events/<slug>/schedule.ics", PUBLIC, "/events/{slug}/schedule.ics"),
    Row("GET", "/events/<slug>" + SESSION, PUBLIC, "/events/{slug}" + S_PATH),
    Row("GET", "/events/<slug>" + SESSION + ".ics", PUBLIC, "/events/{slug}" + S_PATH + ".ics"),
    Row("GET", "/events/<slug>" + SESSION + "/stage", PUBLIC,
        "/events/{slug}" + S_PATH + "/stage"),
    Row("GET", "/events/<slug>" + SESSION + "/stage.json", PUBLIC,
        "/events/{slug}" + S_PATH + "/stage.json"),
    Row("GET", "/events/<slug>" + SESSION + "/stage/stream", PUBLIC,
        "/events/{slug}" + S_PATH + "/stage/stream"),
    Row("GET", ORG + "/now", (*PAGE_ORGANISER, 200), O_PATH + "/now"),
    Row("GET", ORG + "/now.json", (*PAGE_ORGANISER, 200), O_PATH + "/now.json"),
    Row("GET", ORG + "/now/stream", (*PAGE_ORGANISER, 200), O_PATH + "/now/stream"),
    Row("GET", "/r/<token>", PUBLIC, "/r/{token}"),
    # --- the call for pitches: the applicant's pages, the deck, the jury -------------------
    Row("GET", "/events/<slug>/apply", PUBLIC, "/events/{slug}/apply"),
    Row("POST", "/events/<slug>/apply", (422,) * 5, "/events/{slug}/apply", body={}),
    Row("GET", "/a/<token>", PUBLIC, "/a/{application_token}"),
    Row("POST", "/a/<token>", (302,) * 5, "/a/{application_token}", body={}),
    Row("GET", "/a/<token>/withdraw", PUBLIC, "/a/{application_token}/withdraw"),
    Row("GET", "/a/<token>/data.json", PUBLIC, "/a/{application_token}/data.json"),
    Row("POST", "/a/<token>/withdraw", (302,) * 5, "/a/{application_token}/withdraw",
        body={}),
    Row("GET", "/applications/<int:application_id>/deck.pdf", (*PAGE_ORGANISER, 200),
        "/applications/{application}/deck.pdf"),
    Row("GET", "/jury/", (*PAGE_ORGANISER, 403)),
    Row("GET", "/jury/applications/<int:application_id>", (*PAGE_ORGANISER, 403),
        "/jury/applications/{application}"),
    Row("POST", "/jury/applications/<int:application_id>", (*PAGE_ORGANISER, 403),
        "/jury/applications/{application}", body={}),
    Row("POST", "/jury/applications/<int:application_id>/conflict", (*PAGE_ORGANISER, 403),
        "/jury/applications/{application}/conflict", body={}),
    Row("GET", ORG + "/call", (*PAGE_ORGANISER, 200), O_PATH + "/call"),
    Row("POST", ORG + "/call", (*PAGE_ORGANISER, 302), O_PATH + "/call", body={}),
    Row("POST", ORG + "/call/criteria", (*PAGE_ORGANISER, 422), O_PATH + "/call/criteria",
        body={}),
    Row("GET", ORG + "/applications", (*PAGE_ORGANISER, 200), O_PATH + "/applications"),
    Row("POST", ORG + "/applications/decide", (*PAGE_ORGANISER, 422),
        O_PATH + "/applications/decide", body={}),
    Row("POST", ORG + "/applications/assign", (*PAGE_ORGANISER, 302),
        O_PATH + "/applications/assign", body={}),
    Row("GET", ORG + "/applications/reviews.csv", (*PAGE_ORGANISER, 200),
        O_PATH + "/applications/reviews.csv"),
    Row("GET", ORG + "/applications/<int:application_id>", (*PAGE_ORGANISER, 200),
        O_PATH + "/applications/{application}"),
    Row("POST", ORG + "/applications/<int:application_id>", (*PAGE_ORGANISER, 302),
        O_PATH + "/applications/{application}", body={}),
    Row("POST", ORG + "/applications/<int:application_id>/jurors", (*PAGE_ORGANISER, 422),
        O_PATH + "/applications/{application}/jurors", body={}),
    Row("POST", ORG + "/applications/<int:application_id>/jurors/<int:user_id>/remove",
        (*PAGE_ORGANISER, 302), O_PATH + "/applications/{application}/jurors/{member}/remove",
        body={}),
    Row("POST", ORG + "/applications/<int:application_id>/erase", (*PAGE_ORGANISER, 302),
        O_PATH + "/applications/{application}/erase", body={}),
    Row("GET", ORG + "/applications/decision-mails", (*PAGE_ORGANISER, 200),
        O_PATH + "/applications/decision-mails"),
    Row("POST", ORG + "/applications/decision-mails", (*PAGE_ORGANISER, 302),
        O_PATH + "/applications/decision-mails", body={}),
    Row("GET", ORG + "/applications/stage", (*PAGE_ORGANISER, 200),
        O_PATH + "/applications/stage"),
    Row("POST", ORG + "/applications/stage", (*PAGE_ORGANISER, 422),
        O_PATH + "/applications/stage", body={}),
    # An empty form keeps the stored details (WTForms falls back to the object): saved.
    Row("POST", "/r/<token>", (302,) * 5, "/r/{token}", body={}),
    Row("GET", "/r/<token>/cancel", PUBLIC, "/r/{token}/cancel"),
    Row("POST", "/r/<token>/cancel", (302,) * 5, "/r/{token}/cancel", body={}),
    Row("GET", "/r/<token>/data.json", PUBLIC, "/r/{token}/data.json"),
    Row("POST", "/r/<token>/answers", (302,) * 5, "/r/{token}/answers", body={}),
    Row("GET", "/r/<token>/badge.pdf", PUBLIC, "/r/{token}/badge.pdf"),
    Row("GET", "/r/<token>/calendar.ics", PUBLIC, "/r/{token}/calendar.ics"),
    Row("GET", "/static/<path:filename>", PUBLIC, "/static/css/checkin.css"),
    # --- the audience vote ---------------------------------------------------------------------
    api("POST", "/events/<slug>" + SESSION + "/votes", (422,) * 5,
        "/events/{slug}" + S_PATH + "/votes", body={}),
    api("GET", "/events/<slug>" + SESSION + "/votes", (*API_ORGANISER, 200),
        "/events/{slug}" + S_PATH + "/votes"),
    # The session's own moderator and organisers; an empty body changes nothing.
    api("PUT", "/events/<slug>" + SESSION + "/votes", (401, 401, 200, 403, 200),
        "/events/{slug}" + S_PATH + "/votes", body={}),
    Row("GET", "/events/<slug>" + SESSION + "/vote", PUBLIC, "/events/{slug}" + S_PATH + "/vote"),
    Row("POST", "/events/<slug>" + SESSION + "/vote", (422,) * 5,
        "/events/{slug}" + S_PATH + "/vote", body={}),
    Row("GET", "/events/<slug>" + SESSION + "/vote/state.json", PUBLIC,
        "/events/{slug}" + S_PATH + "/vote/state.json"),
    Row("POST", "/moderator" + SESSION + "/vote", (*PAGE_MODERATOR, 302, 403, 302),
        "/moderator" + S_PATH + "/vote", body={}),
    Row("GET", ORG + "/votes", (*PAGE_ORGANISER, 200), O_PATH + "/votes"),
    Row("GET", ORG + "/votes/<int:session_id>", (*PAGE_ORGANISER, 200),
        O_PATH + "/votes/{session}"),
    Row("POST", ORG + "/votes/<int:session_id>/jury", (*PAGE_ORGANISER, 302),
        O_PATH + "/votes/{session}/jury", body={}),
    Row("POST", ORG + "/votes/<int:session_id>/ballot", (*PAGE_ORGANISER, 422),
        O_PATH + "/votes/{session}/ballot", body={}),
    Row("GET", ORG + "/votes/<int:session_id>.csv", (*PAGE_ORGANISER, 200),
        O_PATH + "/votes/{session}.csv"),
    # --- moderators --------------------------------------------------------------------------
    Row("GET", "/moderator/", (*PAGE_MODERATOR, 200, 403, 200)),
    Row("GET", "/moderator/calendar.ics", (*PAGE_MODERATOR, 200, 403, 200)),
    # The signed feed link is the key (calendar apps cannot log in).
    Row("GET", "/moderator/calendar/<token>.ics", PUBLIC, "/moderator/calendar/{feed}.ics"),
    Row("GET", "/moderator" + SESSION + "/run", (*PAGE_MODERATOR, 200, 403, 200),
        "/moderator" + S_PATH + "/run"),
    Row("POST", "/moderator" + SESSION + "/run/<action>", (*PAGE_MODERATOR, 302, 403, 302),
        "/moderator" + S_PATH + "/run/start", body={}),
    # The question before "end"; the session has not started, so back to the run page.
    Row("GET", "/moderator" + SESSION + "/run/end", (*PAGE_MODERATOR, 302, 403, 302),
        "/moderator" + S_PATH + "/run/end"),
    Row("GET", "/moderator" + SESSION + "/state.json", (*PAGE_MODERATOR, 200, 403, 200),
        "/moderator" + S_PATH + "/state.json"),
    # Messages to the stage: an empty message is refused (422) once past the door.
    Row("POST", "/moderator" + SESSION + "/messages", (*PAGE_MODERATOR, 422, 403, 422),
        "/moderator" + S_PATH + "/messages", body={}),
    Row("POST", "/moderator" + SESSION + "/messages/<int:message_id>/dismiss",
        (*PAGE_MODERATOR, 302, 403, 302), "/moderator" + S_PATH + "/messages/{message}/dismiss",
        body={}),
    Row("GET", "/moderator" + SESSION + "/report", (*PAGE_MODERATOR, 200, 403, 200),
        "/moderator" + S_PATH + "/report"),
    Row("GET", "/moderator" + SESSION + "/report.csv", (*PAGE_MODERATOR, 200, 403, 200),
        "/moderator" + S_PATH + "/report.csv"),
    # --- the speaker view: its unguessable link is the key, no account --------------------
    Row("GET", "/stage/<token>", PUBLIC, "/stage/{stage_token}"),
    Row("GET", "/stage/<token>", (404,) * 5, "/stage/not-the-link"),
    Row("GET", "/stage/<token>/state.json", PUBLIC, "/stage/{stage_token}/state.json"),
    Row("POST", "/stage/<token>/messages/<int:message_id>/seen", (302,) * 5,
        "/stage/{stage_token}/messages/{message}/seen", body={}),
    # --- the check-in desk -------------------------------------------------------------------
    Row("GET", "/desk/", (*PAGE_DESK, 200, 200)),
    Row("GET", "/desk/<slug>", (*PAGE_DESK, 200, 200), "/desk/{slug}"),
    Row("POST", "/desk/<slug>/scan", (*PAGE_DESK, 200, 200), "/desk/{slug}/scan",
        body={"code": "{code}"}),
    Row("POST", "/desk/<slug>/checkin", (*PAGE_DESK, 200, 200), "/desk/{slug}/checkin",
        body={"registration_id": "{registration}"}),
    # Nobody is checked in yet: 409 "nothing to undo" shows the request got in.
    Row("POST", "/desk/<slug>/undo", (*PAGE_DESK, 409, 409), "/desk/{slug}/undo",
        body={"registration_id": "{registration}"}),
    Row("POST", "/desk/<slug>/name", (*PAGE_DESK, 302, 302), "/desk/{slug}/name", body={}),
    Row("GET", "/desk/<slug>/live.json", (*PAGE_DESK, 200, 200), "/desk/{slug}/live.json"),
    Row("GET", "/desk/<slug>/snapshot.json", (*PAGE_DESK, 200, 200),
        "/desk/{slug}/snapshot.json"),
    Row("POST", "/desk/<slug>/sync", (*PAGE_DESK, 422, 422), "/desk/{slug}/sync", body={}),
    # The service worker and the manifest hold no data: public, like the other static files.
    Row("GET", "/desk/sw.js", PUBLIC),
    Row("GET", "/desk/manifest.webmanifest", PUBLIC),
    # --- organiser pages ---------------------------------------------------------------------
    Row("GET", "/organiser/", (*PAGE_ORGANISER, 200)),
    Row("GET", "/organiser/events/<slug>/checkins", (*PAGE_ORGANISER, 200),
        "/organiser/events/{slug}/checkins"),
    Row("GET", "/organiser/team", (*PAGE_ORGANISER, 200)),
    Row("GET", "/organiser/security", (*PAGE_ORGANISER, 200)),
    Row("POST", "/organiser/security", (*PAGE_ORGANISER, 302), body={}),  # nothing changed
    Row("GET", ORG + "/questions", (*PAGE_ORGANISER, 200), O_PATH + "/questions"),
    Row("POST", ORG + "/questions", (*PAGE_ORGANISER, 422), O_PATH + "/questions", body={}),
    Row("GET", Q, (*PAGE_ORGANISER, 200), Q_PATH),
    Row("POST", Q, (*PAGE_ORGANISER, 302), Q_PATH, body={}),  # absent fields keep their text
    Row("POST", Q + "/move/<direction>", (*PAGE_ORGANISER, 302), Q_PATH + "/move/up", body={}),
    Row("POST", Q + "/delete", (*PAGE_ORGANISER, 302), Q_PATH + "/delete", body={}),
    Row("POST", Q + "/options", (*PAGE_ORGANISER, 422), Q_PATH + "/options", body={}),
    Row("POST", Q + "/options/<int:option_id>", (*PAGE_ORGANISER, 422),
        Q_PATH + "/options/{option}", body={}),
    Row("POST", Q + "/options/<int:option_id>/delete", (*PAGE_ORGANISER, 302),
        Q_PATH + "/options/{option}/delete", body={}),
    Row("POST", "/organiser/team/invitations", (*PAGE_ORGANISER, 422), body={}),
    Row("POST", "/organiser/team/invitations/<int:invitation_id>/resend",
        (*PAGE_ORGANISER, 302), "/organiser/team/invitations/{invitation}/resend", body={}),
    Row("POST", "/organiser/team/invitations/<int:invitation_id>/withdraw",
        (*PAGE_ORGANISER, 302), "/organiser/team/invitations/{invitation}/withdraw", body={}),
    Row("POST", "/organiser/team/members/<int:user_id>/role", (*PAGE_ORGANISER, 422),
        "/organiser/team/members/{member}/role", body={}),
    Row("POST", "/organiser/team/members/<int:user_id>/remove", (*PAGE_ORGANISER, 302),
        "/organiser/team/members/{member}/remove", body={}),
    # The invitee's page: anyone holding the link, no login; a link that never was is 404.
    Row("GET", "/join/<token>", (404,) * 5, "/join/not-a-signed-link"),
    Row("POST", "/join/<token>", (404,) * 5, "/join/not-a-signed-link", body={}),
    Row("GET", "/join/<token>", PUBLIC, "/join/{invitation_link}"),
    Row("GET", ORG + "/attendees", (*PAGE_ORGANISER, 200), O_PATH + "/attendees"),
    Row("GET", ORG + "/attendees.csv", (*PAGE_ORGANISER, 200), O_PATH + "/attendees.csv"),
    Row("GET", ORG + "/attendees/new", (*PAGE_ORGANISER, 200), O_PATH + "/attendees/new"),
    Row("POST", ORG + "/attendees/new", (*PAGE_ORGANISER, 422), O_PATH + "/attendees/new",
        body={}),
    Row("GET", ORG + "/attendees/import", (*PAGE_ORGANISER, 200), O_PATH + "/attendees/import"),
    Row("POST", ORG + "/attendees/import", (*PAGE_ORGANISER, 422),
        O_PATH + "/attendees/import", body={}),
    Row("GET", ATT, (*PAGE_ORGANISER, 200), A_PATH),
    Row("POST", ATT + "/category", (*PAGE_ORGANISER, 422), A_PATH + "/category", body={}),
    Row("POST", ATT + "/confirm", (*PAGE_ORGANISER, 422), A_PATH + "/confirm", body={}),
    Row("GET", ATT + "/cancel", (*PAGE_ORGANISER, 200), A_PATH + "/cancel"),
    Row("POST", ATT + "/cancel", (*PAGE_ORGANISER, 302), A_PATH + "/cancel", body={}),
    Row("GET", ATT + "/anonymise", (*PAGE_ORGANISER, 200), A_PATH + "/anonymise"),
    Row("POST", ATT + "/anonymise", (*PAGE_ORGANISER, 302), A_PATH + "/anonymise", body={}),
    Row("GET", ORG + "/audit", (*PAGE_ORGANISER, 200), O_PATH + "/audit"),
    Row("GET", ORG + "/settings", (*PAGE_ORGANISER, 200), O_PATH + "/settings"),
    Row("POST", ORG + "/settings", (*PAGE_ORGANISER, 302), O_PATH + "/settings", body={}),
    Row("POST", ORG + "/categories/<int:category_id>/capacity", (*PAGE_ORGANISER, 422),
        O_PATH + "/categories/{category}/capacity", body={}),
    Row("GET", "/organiser/events/new", (*PAGE_ORGANISER, 200)),
    Row("POST", "/organiser/events/new", (*PAGE_ORGANISER, 422), body={}),
    Row("GET", "/organiser/archive", (*PAGE_ORGANISER, 200)),
    Row("GET", ORG + "/copy", (*PAGE_ORGANISER, 200), O_PATH + "/copy"),
    Row("POST", ORG + "/copy", (*PAGE_ORGANISER, 422), O_PATH + "/copy", body={}),
    Row("POST", ORG + "/archive", (*PAGE_ORGANISER, 302), O_PATH + "/archive", body={}),
    Row("POST", ORG + "/unarchive", (*PAGE_ORGANISER, 302), O_PATH + "/unarchive", body={}),
    Row("GET", ORG + "/categories", (*PAGE_ORGANISER, 200), O_PATH + "/categories"),
    Row("POST", ORG + "/categories", (*PAGE_ORGANISER, 422), O_PATH + "/categories", body={}),
    Row("POST", ORG + "/categories/<int:category_id>", (*PAGE_ORGANISER, 422),
        O_PATH + "/categories/{category}", body={}),
    Row("POST", ORG + "/categories/<int:category_id>/up", (*PAGE_ORGANISER, 302),
        O_PATH + "/categories/{category}/up", body={}),
    Row("POST", ORG + "/categories/<int:category_id>/down", (*PAGE_ORGANISER, 302),
        O_PATH + "/categories/{category}/down", body={}),
    # The world's category has a registration: the organiser is refused with the count.
    Row("POST", ORG + "/categories/<int:category_id>/delete", (*PAGE_ORGANISER, 409),
        O_PATH + "/categories/{category}/delete", body={}),
    Row("GET", ORG + "/badges", (*PAGE_ORGANISER, 200), O_PATH + "/badges"),
    Row("POST", ORG + "/badges", (*PAGE_ORGANISER, 200), O_PATH + "/badges", body={}),
    Row("GET", MODS, (*PAGE_ORGANISER, 200), M_PATH),
    Row("POST", MODS + "/<int:user_id>/languages", (*PAGE_ORGANISER, 422),
        M_PATH + "/{moderator}/languages", body={}),
    Row("POST", MODS + "/availability", (*PAGE_ORGANISER, 422), M_PATH + "/availability",
        body={}),
    Row("POST", MODS + "/availability/<int:window_id>", (*PAGE_ORGANISER, 422),
        M_PATH + "/availability/{window}", body={}),
    Row("POST", MODS + "/availability/<int:window_id>/delete", (*PAGE_ORGANISER, 302),
        M_PATH + "/availability/{window}/delete", body={}),
    Row("POST", MODS + SESSION + "/assign", (*PAGE_ORGANISER, 422),
        M_PATH + S_PATH + "/assign", body={}),
    Row("POST", MODS + "/assignments/<int:assignment_id>/delete", (*PAGE_ORGANISER, 302),
        M_PATH + "/assignments/{assignment}/delete", body={}),
    Row("POST", MODS + "/auto-assign", (*PAGE_ORGANISER, 302), M_PATH + "/auto-assign",
        body={}),
    Row("GET", PROGRAMME, (*PAGE_ORGANISER, 200), P_PATH),
    Row("GET", PROGRAMME + "/warnings", (*PAGE_ORGANISER, 200), P_PATH + "/warnings"),
    Row("GET", PROGRAMME + "/sessions/new", (*PAGE_ORGANISER, 200), P_PATH + "/sessions/new"),
    Row("POST", PROGRAMME + "/sessions/new", (*PAGE_ORGANISER, 422), P_PATH + "/sessions/new",
        body={}),
    Row("GET", PROGRAMME + SESSION, (*PAGE_ORGANISER, 200), P_PATH + S_PATH),
    Row("POST", PROGRAMME + SESSION, (*PAGE_ORGANISER, 422), P_PATH + S_PATH, body={}),
    Row("POST", PROGRAMME + SESSION + "/delete", (*PAGE_ORGANISER, 302),
        P_PATH + S_PATH + "/delete", body={}),
    Row("POST", PROGRAMME + SESSION + "/speaker-view/link", (*PAGE_ORGANISER, 302),
        P_PATH + S_PATH + "/speaker-view/link", body={}),
    Row("POST", PROGRAMME + SESSION + "/speaker-view/warning", (*PAGE_ORGANISER, 422),
        P_PATH + S_PATH + "/speaker-view/warning", body={}),
    # Drag and drop sends JSON; a form body is refused as malformed.
    Row("POST", PROGRAMME + SESSION + "/order", (*PAGE_ORGANISER, 400),
        P_PATH + S_PATH + "/order", body={}),
    Row("GET", PROGRAMME + SESSION + "/pitches/new", (*PAGE_ORGANISER, 200),
        P_PATH + S_PATH + "/pitches/new"),
    Row("POST", PROGRAMME + SESSION + "/pitches/new", (*PAGE_ORGANISER, 422),
        P_PATH + S_PATH + "/pitches/new", body={}),
    Row("GET", PROGRAMME + SESSION + "/pitches/<int:pitch_id>", (*PAGE_ORGANISER, 200),
        P_PATH + S_PATH + "/pitches/{pitch}"),
    Row("POST", PROGRAMME + SESSION + "/pitches/<int:pitch_id>", (*PAGE_ORGANISER, 302),
        P_PATH + S_PATH + "/pitches/{pitch}", body={}),
    Row("POST", PROGRAMME + SESSION + "/pitches/<int:pitch_id>/delete", (*PAGE_ORGANISER, 302),
        P_PATH + S_PATH + "/pitches/{pitch}/delete", body={}),
    Row("POST", PROGRAMME + SESSION + "/pitches/<int:pitch_id>/move", (*PAGE_ORGANISER, 302),
        P_PATH + S_PATH + "/pitches/{pitch}/move", body={}),
    Row("GET", PROGRAMME + "/rooms", (*PAGE_ORGANISER, 200), P_PATH + "/rooms"),
    Row("POST", PROGRAMME + "/rooms", (*PAGE_ORGANISER, 422), P_PATH + "/rooms", body={}),
    Row("GET", PROGRAMME + "/rooms/<int:room_id>", (*PAGE_ORGANISER, 200),
        P_PATH + "/rooms/{room}"),
    Row("POST", PROGRAMME + "/rooms/<int:room_id>", (*PAGE_ORGANISER, 302),
        P_PATH + "/rooms/{room}", body={}),
    Row("POST", PROGRAMME + "/rooms/<int:room_id>/delete", (*PAGE_ORGANISER, 302),
        P_PATH + "/rooms/{room}/delete", body={}),
]

EMAILS = {"moderator": "matrix-moderator@example.org", "staff": "matrix-desk@example.org",
          "organiser": "matrix-organiser@example.org"}


@dataclass
class Callers:
    """Per role: a test client (logged in where the role has an account) and API headers."""

    clients: dict
    csrf: dict
    api_tokens: dict
    user_ids: dict


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    """One app and database for the module (see the module docstring for why)."""
    folder = tmp_path_factory.mktemp("access-matrix")
    with fresh_database(folder) as url, built_app(app_settings(url, folder) | {
            "SUMMIT_INSTANCE_PATH": str(folder / "instance")}) as app:
        yield app


def _own_client(app, role: str):
    """A test client of its own, logged in through the login page when the role has an
    account."""
    client = app.test_client()
    if role in EMAILS:
        page = client.get("/login")
        response = client.post("/login", data={
            "email": EMAILS[role], "password": PASSWORD, "csrf_token": csrf_token(page)})
        assert response.status_code == 302, response.data[:300]
    return client


@pytest.fixture(scope="module")
def callers(matrix_app) -> Callers:
    clients, csrf, tokens, ids = {}, {}, {}, {}
    with matrix_app.app_context():
        for role, email in EMAILS.items():
            user = users.create_user(email, role=role, password=PASSWORD)
            ids[role] = user.id
            tokens[role] = users.issue_api_token(user)
    for role in ROLES:
        clients[role] = _own_client(matrix_app, role)
        csrf[role] = csrf_token(clients[role].get("/"))
    return Callers(clients, csrf, tokens, ids)


@pytest.fixture
def world(matrix_app, callers) -> dict:
    """A fresh event: category, room, a pitch session with a pitch and our moderator as its
    lead, an availability window, one confirmed attendee. Returns the path placeholders."""
    slug = "m-" + uuid.uuid4().hex[:10]
    with matrix_app.app_context():
        event = Event(slug=slug, name="Matrix Summit", venue="Forum",
                      starts_on=date(2030, 9, 10), ends_on=date(2030, 9, 11))
        category = Category(name="Attendee", capacity=10, position=0)
        room = Room(name="Saal", capacity=100)
        event.categories.append(category)
        event.rooms.append(room)
        session = EventSession(event=event, room=room, title="Pitches", kind="pitch",
                               starts_at=datetime(2030, 9, 10, 8, tzinfo=UTC),
                               ends_at=datetime(2030, 9, 10, 10, tzinfo=UTC))
        pitch = Pitch(session=session, position=1, title="Idea", presenter="Zoë Ørsted")
        moderator_id = callers.user_ids["moderator"]
        assignment = ModeratorAssignment(session=session, user_id=moderator_id, role="lead")
        window = Availability(user_id=moderator_id, event=event,
                              starts_at=session.starts_at, ends_at=session.ends_at)
        registration = Registration(
            event=event, category=category, status=CONFIRMED, first_name="Zoë",
            last_name="Müller", email=f"{slug}@example.org", email_normalised=f"{slug}@example.org",
            manage_token=codes.new_manage_token(), checkin_code=codes.new_checkin_code())
        session.stage_token = "stage-" + slug
        db.session.add_all([event, session, pitch, assignment, window, registration])
        db.session.commit()
        message = StageMessage(session_id=session.id, body="Mikrofon an")
        db.session.add(message)
        moderator = db.session.get(User, moderator_id)
        invitation = Invitation(email=f"invitee-{slug}@example.org", role="jury",
                                language="en", nonce=uuid.uuid4().hex)
        # Someone the team rows may remove without locking out the callers' own accounts.
        member = User(email=f"member-{slug}@example.org", name="Member", role="staff",
                      password_hash="!")
        question = Question(event_id=event.id, kind="choice", label="Workshop?", options=[
            QuestionOption(label="A", capacity=5), QuestionOption(label="B")])
        db.session.add_all([invitation, member, question])
        call = Call(event=event, others_reviews="after_own", reviews_per_application=3,
                    anonymised=False)
        call.criteria = [Criterion(name="Impact", weight=1.0, scale_max=5, position=0)]
        application = Application(
            event=event, first_name="Zoë", last_name="Lüdke", email=f"a-{slug}@example.org",
            email_normalised=f"a-{slug}@example.org", title="Räder", summary="Lastenräder.",
            manage_token=codes.new_manage_token())
        application.deck = ApplicationDeck(filename="deck.pdf", size=5, content=b"%PDF-")
        db.session.add_all([call, application])
        db.session.commit()
        return {
            "question": question.id, "option": question.options[1].id,
            "application": application.id, "application_token": application.manage_token,
            "invitation": invitation.id, "member": member.id,
            "invitation_link": team.invitation_url(invitation).rsplit("/", 1)[1],
            "slug": slug, "session": session.id, "pitch": pitch.id, "room": room.id,
            "assignment": assignment.id, "window": window.id, "registration": registration.id,
            "token": registration.manage_token, "code": registration.checkin_code,
            "moderator": moderator_id, "category": category.id,
            "feed": calendars.moderator_calendar_token(moderator),
            "stage_token": session.stage_token, "message": message.id,
        }


def _fill(value, world: dict):
    if isinstance(value, str):
        return value.format(**world)
    if isinstance(value, dict):
        return {key: _fill(item, world) for key, item in value.items()}
    return value


def _status(response) -> int | str:
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_access(row: Row, role: str, callers: Callers, world: dict, matrix_app):
    client = _own_client(matrix_app, role) if row.own_login else callers.clients[role]
    csrf = csrf_token(client.get("/")) if row.own_login else callers.csrf[role]
    path = _fill(row.path or row.rule, world)
    body = _fill(row.body, world)
    if row.rule.startswith("/api/"):
        # The attendee's only secret is their manage token; it must not open organiser calls.
        bearer = world["token"] if role == "attendee" else callers.api_tokens.get(role)
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        response = client.open(path, method=row.method, json=body, headers=headers)
    else:
        data = None if body is None else {**body, "csrf_token": csrf}
        response = client.open(path, method=row.method, data=data)
    expected = row.expected[ROLES.index(role)]
    assert _status(response) == expected, (
        f"{role}: {row.method} {path} answered {response.status_code} "
        f"{response.headers.get('Location', '')}")


def test_every_route_is_in_the_table(matrix_app):
    in_table = {(row.method, row.rule) for row in TABLE}
    routes = {(method, rule.rule) for rule in matrix_app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - in_table == set(), "routes without a row in TABLE"
    assert in_table - routes == set(), "rows for routes that do not exist"
    assert all(len(row.expected) == len(ROLES) for row in TABLE)


@pytest.mark.parametrize("row", [row for row in TABLE if row.rule.startswith("/api/")
                                 and row.expected[0] == 401], ids=lambda row: row.id)
def test_api_ignores_the_login_cookie(row: Row, callers: Callers, world: dict):
    """The API is exempt from CSRF, so it must never act on a browser's session cookie: a
    logged-in organiser without a bearer token is a stranger to it."""
    path = _fill(row.path or row.rule, world)
    response = callers.clients["organiser"].open(path, method=row.method,
                                                 json=_fill(row.body, world))
    assert response.status_code == 401


def test_a_deactivated_account_loses_its_session_and_its_tokens(matrix_app, world):
    """Deactivating someone must lock them out at once, not when their cookie expires."""
    with matrix_app.app_context():
        user = users.create_user(f"leaver-{world['slug']}@example.org", role="organiser",
                                 password=PASSWORD)
        email, token = user.email, users.issue_api_token(user)
    client = matrix_app.test_client()
    page = client.get("/login")
    client.post("/login", data={"email": email, "password": PASSWORD,
                                "csrf_token": csrf_token(page)})
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/organiser/").status_code == 200
    assert client.get("/api/v1/events/{slug}/schedule/warnings".format(**world),
                      headers=headers).status_code == 200
    with matrix_app.app_context():
        users.find_by_email(email).active = False
        db.session.commit()
    assert _status(client.get("/organiser/")) == LOGIN
    assert client.get("/api/v1/events/{slug}/schedule/warnings".format(**world),
                      headers=headers).status_code == 401
