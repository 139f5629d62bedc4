"""The call for pitches in a real browser: an applicant applies on a phone in German with a
deck, the organiser assigns the jury, the juror reviews, the organiser accepts, checks and
sends the decision mail, and moves the shortlist into the pitch session."""


from application_fixtures import pdf_bytes
from playwright.sync_api import expect
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from summit.extensions import db
from summit.models import Application, Pitch, Registration
from summit.services.applications.demo import JUROR

from .browser import PHONE, log_in

TITLE = "Grüne Dächer für Kitas 🌱"


def test_from_application_to_the_pitch_session(programme_demo, live_server, open_page,
                                               checkpoint, mailbox, app, tmp_path):
    slug = programme_demo.slug
    deck = tmp_path / "Präsentation.pdf"
    deck.write_bytes(pdf_bytes("Grüne Dächer"))

    # The applicant, on a phone, in German.
    phone = open_page(locale="de-DE", **PHONE)
    phone.goto(f"{live_server.url}/events/{slug}/apply")
    expect(phone.locator("h1")).to_have_text("Für einen Pitch bewerben")
    checkpoint(phone, "apply-form-de")
    phone.get_by_role("button", name="Bewerbung absenden").click()
    expect(phone.locator(".error").first).to_be_visible()
    checkpoint(phone, "apply-form-errors")
    phone.errors.clear()  # the console reports the 422 of that refused form
    phone.get_by_label("Vorname").fill("Lüdia")
    phone.get_by_label("Nachname").fill("Ōkubo-Weiß")
    phone.get_by_role("textbox", name="E-Mail").fill("lüdia@grüne-dächer.de")
    phone.get_by_label("Titel Ihres Pitches").fill(TITLE)
    phone.get_by_label("Zusammenfassung").fill("Wir begrünen Dächer von Kitas mit Eltern.")
    phone.get_by_label("Phase Ihres Vorhabens").select_option("prototype")
    phone.get_by_label("Pitch-Deck", exact=False).set_input_files(str(deck))
    phone.get_by_label("Ich bin einverstanden").check()
    phone.get_by_role("button", name="Bewerbung absenden").click()
    expect(phone.locator(".flash-success")).to_contain_text("Ihre Bewerbung ist eingegangen")
    checkpoint(phone, "apply-manage-de")
    (mail,) = mailbox.messages_to("grüne-dächer.de")
    assert "Bewerbung" in str(mail["Subject"])
    with app.app_context():
        application = db.session.scalar(db.select(Application).where(
            Application.title == TITLE))
        application_id, token = application.id, application.manage_token
        assert application.deck.pages == 1
    assert f"/a/{token}" in mail.get_body(preferencelist=("plain",)).get_content()

    # The organiser assigns the jury.
    organiser = open_page()
    log_in(organiser, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    organiser.goto(f"{live_server.url}/organiser/events/{slug}/call")
    checkpoint(organiser, "call-settings")
    organiser.goto(f"{live_server.url}/organiser/events/{slug}/applications")
    organiser.get_by_role("button", name="Assign the jury").click()
    expect(organiser.locator(".flash-success")).to_contain_text("assignment")

    # The juror reviews.
    juror = open_page()
    log_in(juror, live_server.url, JUROR[0], JUROR[1])
    juror.goto(f"{live_server.url}/jury/")
    checkpoint(juror, "jury-list")
    juror.get_by_role("link", name=TITLE).click()
    for criterion in ("Impact", "Innovation", "Scalability", "Team"):
        juror.get_by_role("group", name=criterion).get_by_label("5").check()
    juror.get_by_label("Comment", exact=False).fill("Sehr überzeugend 👍")
    juror.get_by_role("button", name="Save my review").click()
    expect(juror.locator(".flash-success")).to_contain_text("review is saved")
    checkpoint(juror, "jury-review")
    with juror.expect_download() as download:
        juror.get_by_role("link", name="Download the pitch deck (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The organiser decides, checks the mail, sends it, and moves the shortlist on stage.
    organiser.goto(f"{live_server.url}/organiser/events/{slug}/applications")
    checkpoint(organiser, "applications-ranking")
    first_row = organiser.locator("tbody tr").first
    expect(first_row).to_contain_text(TITLE)  # the only reviewed one ranks first
    organiser.get_by_label(TITLE).check()
    organiser.get_by_label("Decision").select_option("accepted")
    organiser.get_by_role("button", name="Apply to the ticked applications").click()
    organiser.get_by_role("link", name="decision mail").click()
    expect(organiser.locator(".mail-preview")).to_contain_text("herzlichen Glückwunsch")
    checkpoint(organiser, "decision-mails")
    organiser.get_by_role("button", name="Send the ticked mails").click()
    expect(organiser.locator(".flash-success")).to_contain_text("on its way")
    assert any("Pitch" in str(m["Subject"]) for m in mailbox.messages_to("grüne-dächer.de"))
    organiser.goto(f"{live_server.url}/organiser/events/{slug}/applications/stage")
    checkpoint(organiser, "stage")
    organiser.get_by_role("button", name="Put them on stage").click()
    expect(organiser.locator(".flash-success")).to_contain_text("1 pitch added")
    with app.app_context():
        pitches = db.session.scalars(db.select(Pitch).where(
            Pitch.session_id == programme_demo.pitch_session_id).order_by(Pitch.position)).all()
        assert pitches[-1].title == TITLE and len(pitches) == 11
        presenter = db.session.get(Registration, pitches[-1].registration_id)
        assert presenter.category.name == "Social Entrepreneur"
        assert db.session.get(Application, application_id).pitch_id == pitches[-1].id
    assert organiser.errors == [] and juror.errors == [] and phone.errors == []
