"""People on the desk, against gunicorn that mails through a real SMTP server process: an admin
invites a new worker, who opens the mailed link on a phone, sets a password and reports a hazard;
an admin deactivates someone signed in elsewhere, whose next step asks them to sign in; a
forgotten password reset from the sign-in screen with the mailed link; every admin screen
photographed at phone and desktop size."""

import re
import uuid
from email.message import Message
from pathlib import Path

import flask_migrate
import pytest
from playwright.sync_api import APIRequestContext, Browser, Page, expect

from e2e.conftest import DESKTOP, PHONE
from e2e.journeys import capture, synced
from e2e.steps import api_session, open_app
from server import create_app
from server.auth.services import create_user
from server.demo import DEMO_PASSWORD, demo_email, seed_demo
from server.extensions import db
from server.jobs.embedded_redis import EmbeddedRedis
from tests.live_server import GunicornServer, app_environment
from tests.reminders.smtp_server import SmtpServer

SCREENS = Path("/work/screens/admin")
NEW_PASSWORD = "copper lantern meadow falcon"
OTHER_EMAIL = "dana.okafor@other-works.example.test"
LINK = re.compile(r"https?://\S+/#/(invitation|password-reset)\?token=[\w-]+")


@pytest.fixture(scope="module")
def mail(tmp_path_factory):
    """A real SMTP server process keeping what it receives in a Maildir."""
    smtp = SmtpServer(tmp_path_factory.mktemp("maildir") / "mail").start()
    yield smtp
    smtp.stop()


@pytest.fixture(scope="module")
def mailing_server(tmp_path_factory, mail):
    """The demo organization served by gunicorn with MAIL_URL set to the SMTP server."""
    root = tmp_path_factory.mktemp("people")
    redis = EmbeddedRedis(root / "redis").start()
    app = create_app(
        {
            "SECRET_KEY": "e2e-people",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'people.db'}",
            "MEDIA_ROOT": str(root / "media"),
            "RATELIMIT_STORAGE_URI": "memory://",
            "REDIS_URL": redis.url,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo()
        # Someone with an account in another organization, to be invited to the demo one.
        create_user(OTHER_EMAIL, "Dana Okafor", NEW_PASSWORD, "Other Works", "worker")
        db.session.remove()
    environment = app_environment(app, MAIL_URL=mail.url)
    server = GunicornServer(environment, workers=2, log_path=root / "gunicorn.log").start()
    yield server.url
    server.stop()
    if "redis" in app.extensions:
        app.extensions["redis"]["client"].close()
    redis.stop()


@pytest.fixture(scope="module")
def admin(browser, mailing_server) -> APIRequestContext:
    return api_session(browser, mailing_server, "admin")


def body_of(message: Message) -> str:
    """The plain text of a mail."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def mailed_link(mail: SmtpServer, to: str, kind: str, page: Page) -> str:
    """The newest link of a kind mailed to an address (waiting for it to arrive)."""
    found: list[str] = []

    def arrived() -> bool:
        for message in mail.messages():
            if to in message["To"]:
                found.extend(m.group(0) for m in LINK.finditer(body_of(message)) if m[1] == kind)
        return bool(found)

    for _ in range(100):
        if arrived():
            return found[-1]
        page.wait_for_timeout(100)
    raise AssertionError(f"no {kind} link was mailed to {to}")


def no_sideways_scroll(page: Page, width: int) -> None:
    """Nothing sticks out sideways (the page clips overflow, so scrollWidth alone would not say)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('main *, dialog *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .map((el) => el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 40))""",
        width,
    )
    assert not wider, wider


def shoot(page: Page, name: str, width: int) -> None:
    """A full-page screenshot from the top into /work/screens/admin/, after a sideways check."""
    no_sideways_scroll(page, width)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    device = "phone" if width < 900 else "desktop"
    page.screenshot(path=str(SCREENS / f"{device}-{name}.png"), full_page=True)


def invite(admin: APIRequestContext, name: str, role: str = "worker", **fields) -> dict:
    """An invitation through the API, as another admin would send it."""
    email = f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:6]}@example.test"
    body = {"email": email, "name": name, "role": role, **fields}
    response = admin.post("/api/users", data=body)
    assert response.status == 201, response.text()
    return response.json()


def accept_on_phone(browser: Browser, url: str, name: str):
    """Open an invitation link on a fresh phone, set the password; signed in after."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_focused()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password and start").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    return context, page


def test_an_invited_worker_opens_the_mailed_link_sets_a_password_and_reports_a_hazard(
    browser, mailing_server, mail
):
    context, desk = open_app(browser, mailing_server, DESKTOP, role="admin")
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(desk.get_by_role("heading", name="People", exact=True)).to_be_focused()
    desk.get_by_role("button", name="Invite someone").click()
    dialog = desk.get_by_role("dialog", name="Invite someone")
    expect(dialog.get_by_label("Email")).to_be_focused()
    for _ in range(12):  # the keyboard goes round the dialog, never out of it
        desk.keyboard.press("Tab")
        assert desk.evaluate("() => Boolean(document.activeElement.closest('dialog'))")
    desk.keyboard.press("Escape")
    expect(desk.get_by_role("button", name="Invite someone")).to_be_focused()
    desk.keyboard.press("Enter")
    email = f"ana.{uuid.uuid4().hex[:6]}@example.test"
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Name").fill("Ana Ferreira")
    dialog.get_by_label("Role").select_option("worker")
    dialog.locator(".sites-picker label").first.click()
    dialog.get_by_role("button", name="Send the invitation").click()
    expect(dialog.get_by_text(f"The invitation link was sent to {email}.")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    row = desk.locator(".people-list tr", has_text=email)
    expect(row.get_by_text("Invited")).to_be_visible()
    context.close()

    link = mailed_link(mail, email, "invitation", desk)
    phone, page = accept_on_phone(browser, link, "Ana Ferreira")
    capture(page, "Pallet stacked above the guard rail at bay 2")
    expect(synced(page).filter(has_text="Pallet stacked above the guard rail")).to_have_count(1)
    # The link was for one use: opened again, it says so.
    page.goto(link)
    expect(page.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()
    expect(page.locator(".dead-link")).to_contain_text("used")
    phone.close()


def test_a_deactivated_person_signed_in_elsewhere_is_asked_to_sign_in_at_their_next_step(
    browser, mailing_server, admin
):
    person = invite(admin, "Bo Lindqvist")
    phone, page = accept_on_phone(browser, person["invitation_url"], "Bo Lindqvist")

    context, desk = open_app(browser, mailing_server, DESKTOP, role="admin")
    desk.goto(f"{mailing_server}/#/desk/person/{person['id']}")
    expect(desk.get_by_role("heading", name="Bo Lindqvist")).to_be_focused()
    desk.get_by_role("button", name="Deactivate").click()
    confirm = desk.get_by_role("dialog", name="Deactivate Bo Lindqvist?")
    expect(confirm).to_contain_text("signed out at once")
    confirm.get_by_role("button", name="Deactivate").click()
    expect(desk.locator(".person-note")).to_contain_text("their sessions have ended")
    expect(desk.locator(".person-head")).to_contain_text("Deactivated")
    context.close()

    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Your session has ended")).to_be_visible()
    page.fill("#email", person["email"])
    page.fill("#password", NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong email or password")

    context, desk = open_app(browser, mailing_server, DESKTOP, role="admin")
    desk.goto(f"{mailing_server}/#/desk/person/{person['id']}")
    desk.get_by_role("button", name="Reactivate").click()
    expect(desk.locator(".person-note")).to_contain_text("active again")
    context.close()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    phone.close()


def test_an_admin_adds_and_changes_a_site_and_the_organizations_settings(
    browser, mailing_server, admin
):
    context, desk = open_app(browser, mailing_server, DESKTOP, role="admin")
    desk.goto(f"{mailing_server}/#/desk/sites")
    desk.get_by_role("button", name="Add a site").click()
    dialog = desk.get_by_role("dialog", name="Add a site")
    code = f"Q{uuid.uuid4().hex[:5].upper()}"
    dialog.get_by_label("Name").fill("Quarry East")
    dialog.get_by_label("Code").fill(code)
    dialog.get_by_label("Time zone").fill("Mars/Olympus")
    dialog.get_by_label("Latitude").fill("38.72")
    dialog.get_by_label("Longitude").fill("-9.14")
    dialog.get_by_role("button", name="Add the site").click()
    expect(dialog.locator("#site-time_zone-error")).to_contain_text("time zone")
    expect(dialog.get_by_label("Time zone")).to_be_focused()
    dialog.get_by_label("Time zone").fill("Europe/Lisbon")
    dialog.get_by_role("button", name="Add the site").click()
    row = desk.locator(".site-list tr", has_text="Quarry East")
    expect(row).to_contain_text("Europe/Lisbon")
    expect(row).to_contain_text("38.72, -9.14")
    row.get_by_role("button", name="Edit Quarry East").click()
    dialog = desk.get_by_role("dialog", name="Edit Quarry East")
    dialog.get_by_label("Code").fill(f"{code}-2")
    dialog.get_by_role("button", name="Save the site").click()
    expect(desk.locator(".site-note")).to_have_text("Quarry East saved.")
    expect(row).to_contain_text(f"{code}-2")

    pages = desk.get_by_role("navigation", name="People and settings")
    pages.get_by_role("link", name="Settings").click()
    expect(desk.get_by_role("heading", name="Settings")).to_be_focused()
    desk.get_by_label("Training shows as due").fill("0")
    desk.get_by_role("button", name="Save the settings").click()
    expect(desk.locator("#org-training_due_days-error")).not_to_be_empty()
    desk.get_by_label("Training shows as due").fill("30")
    desk.get_by_role("button", name="Save the settings").click()
    expect(desk.get_by_text("Settings saved.")).to_be_visible()
    assert admin.get("/api/organization").json()["training_due_days"] == 30
    context.close()


def test_a_forgotten_password_is_reset_from_the_sign_in_screen_with_the_mailed_link(
    browser, mailing_server, mail
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(mailing_server)
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_focused()
    email = demo_email("auditor")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.locator(".reset-sent")).to_be_visible()
    link = mailed_link(mail, email, "password-reset", page)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_focused()
    page.get_by_label("New password").fill("password1")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.locator("#new-password-error")).not_to_be_empty()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    context.close()

    signed_in = browser.new_context(base_url=mailing_server).request
    old = signed_in.post("/api/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert old.status == 401
    new = signed_in.post("/api/auth/login", data={"email": email, "password": NEW_PASSWORD})
    assert new.ok, new.text()


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_admin_screen_fits_the_screen(browser, mailing_server, admin, device):
    width = device["viewport"]["width"]
    person = invite(admin, f"Chen Wei {width}")
    context = browser.new_context(**device)
    page = context.new_page()
    page.goto(mailing_server)
    shoot(page, "signin", width)
    page.get_by_role("link", name="Forgot your password?").click()
    shoot(page, "forgot-password", width)
    page.goto(f"{mailing_server}/#/password-reset?token=not-a-real-token")
    shoot(page, "reset-new-password", width)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("heading", name="This reset link cannot be used")).to_be_visible()
    shoot(page, "reset-dead", width)
    page.goto(person["invitation_url"])
    expect(page.get_by_role("heading", name=f"Welcome, Chen Wei {width}")).to_be_visible()
    shoot(page, "invitation", width)
    page.goto(f"{mailing_server}/#/invitation?token=not-a-real-token")
    expect(page.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()
    shoot(page, "invitation-dead", width)

    page.goto(f"{mailing_server}/#/signin")
    page.fill("#email", demo_email("admin"))
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    screens(page, mailing_server, person, width)
    context.close()


def screens(page: Page, url: str, person: dict, width: int) -> None:
    """The desk's people, person, sites and settings screens, with their dialogs."""
    page.goto(f"{url}/#/desk/people")
    expect(page.locator(".people-list tbody tr").first).to_be_visible()
    shoot(page, "people", width)
    page.get_by_role("button", name="Invite someone").click()
    dialog = page.get_by_role("dialog", name="Invite someone")
    dialog.get_by_label("Email").fill(demo_email("worker"))
    dialog.get_by_label("Name").fill("Someone Again")
    dialog.get_by_role("button", name="Send the invitation").click()
    # A member already: said beside the email, which takes the focus.
    expect(dialog.locator("#invite-email-error")).not_to_be_empty()
    expect(dialog.get_by_label("Email")).to_be_focused()
    shoot(page, "invite-dialog", width)
    page.keyboard.press("Escape")
    page.goto(f"{url}/#/desk/person/{person['id']}")
    expect(page.get_by_role("heading", name=person["name"])).to_be_visible()
    page.get_by_role("button", name="Send a new invitation").click()
    expect(page.locator(".link-sent")).to_be_visible()
    shoot(page, "person-invited", width)
    page.goto(f"{url}/#/desk/people?q=Demo%20Worker")
    page.get_by_role("link", name="Demo Worker").click()
    page.get_by_role("button", name="Make a password reset link").click()
    expect(page.locator(".link-sent")).to_contain_text("password reset link was sent to")
    shoot(page, "person-active", width)
    page.get_by_role("button", name="Deactivate").click()
    shoot(page, "deactivate-dialog", width)
    page.get_by_role("button", name="Keep them").click()
    page.goto(f"{url}/#/desk/sites")
    expect(page.get_by_role("heading", name="Sites")).to_be_visible()
    shoot(page, "sites", width)
    page.locator(".site-list tbody tr").first.get_by_role("button").click()
    shoot(page, "site-dialog", width)
    page.keyboard.press("Escape")
    page.goto(f"{url}/#/desk/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    shoot(page, "settings", width)


def test_an_officer_reads_the_people_list_without_changing_anyone(browser, mailing_server):
    context, desk = open_app(browser, mailing_server, DESKTOP, role="officer")
    desk.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(desk.locator(".people-list tbody tr").first).to_be_visible()
    pages = desk.get_by_role("navigation", name="People and settings")
    expect(pages.get_by_role("link")).to_have_text(["People", "Training"])
    expect(desk.get_by_role("button", name="Invite someone")).to_have_count(0)
    desk.get_by_role("link", name="Demo Worker").click()
    expect(desk.get_by_role("heading", name="Demo Worker")).to_be_focused()
    expect(desk.locator(".person-competence")).to_be_visible()
    expect(desk.get_by_role("button", name="Deactivate")).to_have_count(0)
    expect(desk.get_by_role("button", name="Save role and sites")).to_have_count(0)
    expect(desk.get_by_role("link", name="Record training")).to_have_attribute(
        "href", re.compile(r"#/desk/training\?user=\d+")
    )
    context.close()


def test_too_many_failed_sign_ins_say_the_real_wait(browser, mailing_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(mailing_server)
    page.fill("#email", f"nobody.{uuid.uuid4().hex[:6]}@example.test")
    alert = page.get_by_role("alert")
    for _ in range(5):
        page.fill("#password", "not the password at all")
        page.get_by_role("button", name="Sign in").click()
        expect(alert).to_have_text("Wrong email or password.")
        page.evaluate("() => document.querySelector('[role=alert]').textContent = ''")
    page.get_by_role("button", name="Sign in").click()
    wait = re.compile(r"Too many failed sign-ins\. Try again in \d+ minutes?\.")
    expect(alert).to_have_text(wait)
    context.close()


def test_someone_with_an_account_elsewhere_joins_with_the_password_they_have(
    browser, mailing_server, admin
):
    invitation = {"email": OTHER_EMAIL, "name": "Dana", "role": "worker"}
    response = admin.post("/api/users", data=invitation)
    assert response.status == 201, response.text()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(response.json()["invitation_url"])
    expect(page.get_by_role("heading", name="Welcome, Dana")).to_be_focused()
    expect(page.get_by_text("You have a Safeloop account already")).to_be_visible()
    expect(page.locator("#password-rules")).to_have_count(0)
    page.get_by_label("Your password").fill("not my password at all")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#new-password-error")).not_to_be_empty()
    page.get_by_label("Your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    me = page.request.get(f"{mailing_server}/api/auth/me").json()
    assert me["organization"]["name"] == "Demo Plant"
    context.close()


def test_without_mail_the_admin_passes_the_link_on_and_a_reset_means_asking_the_admin(
    browser, live_server
):
    """The session's server has no MAIL_URL: the link is shown to copy, and nothing is mailed."""
    context, desk = open_app(browser, live_server, DESKTOP, role="admin")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    desk.goto(f"{live_server}/#/desk/people")
    desk.get_by_role("button", name="Invite someone").click()
    dialog = desk.get_by_role("dialog", name="Invite someone")
    dialog.get_by_label("Email").fill(f"eve.{uuid.uuid4().hex[:6]}@example.test")
    dialog.get_by_label("Name").fill("Eve Marsh")
    dialog.get_by_role("button", name="Send the invitation").click()
    expect(
        dialog.get_by_text("No mail was sent. Give Eve Marsh this invitation link")
    ).to_be_visible()
    link = dialog.get_by_label("Invitation link").input_value()
    assert LINK.fullmatch(link), link
    dialog.get_by_role("button", name="Copy the link").click()
    expect(dialog.get_by_text("Copied.")).to_be_visible()
    assert desk.evaluate("() => navigator.clipboard.readText()") == link
    shoot(desk, "invite-link-no-mail", 1440)
    dialog.get_by_role("button", name="Close").click()
    context.close()

    phone, page = accept_on_phone(browser, link, "Eve Marsh")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(demo_email("worker"))
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.locator(".reset-sent")).to_contain_text("admin")
    shoot(page, "forgot-password-no-mail", 390)
    phone.close()


def test_the_last_admin_cannot_make_themselves_an_officer(browser, mailing_server, admin):
    me = admin.get("/api/auth/me").json()["user"]
    context, desk = open_app(browser, mailing_server, DESKTOP, role="admin")
    desk.goto(f"{mailing_server}/#/desk/person/{me['id']}")
    expect(desk.get_by_role("button", name="Deactivate")).to_have_count(0)
    desk.get_by_label("Role").select_option("officer")
    desk.get_by_role("button", name="Save role and sites").click()
    expect(desk.locator(".person-role [role=alert]:not(:empty)").first).to_contain_text("admin")
    assert admin.get(f"/api/users/{me['id']}").json()["role"] == "admin"
    context.close()
