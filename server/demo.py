"""`flask seed-demo`: an organization with two sites, one user per role, an audit programme
(the starter templates, a competent auditor, a quarterly schedule and one audit signed off with
findings), each site's risk register, objectives with their monthly hours worked, and the
previous quarter's management review, held, whose actions a new review shows."""

import hashlib
import io
import uuid
from datetime import date, timedelta

import click
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from server.audits.models import AuditTemplate
from server.audits.programme import create_schedule
from server.audits.services import create_audit, save_response, submit_audit
from server.audits.templates import ensure_starter_templates
from server.auth.access import actor_for
from server.auth.models import ROLES, Membership
from server.auth.services import create_user, find_user
from server.dbtypes import utcnow
from server.documents.files import store_file
from server.documents.services import add_revision, approve, create_document
from server.extensions import db
from server.nonconformities.actions import complete_action
from server.orgs.models import Organization, Site
from server.people.modules import add_module
from server.people.services import record_competence
from server.reviews.objectives import create_objective, put_figure
from server.reviews.periods import quarter_of
from server.reviews.services import add_action, create_review, hold_review, update_review
from server.risks.services import create_risk

DEMO_ORGANIZATION = "Demo Plant"
DEMO_PASSWORD = "safeloop-demo"
# Name, code, position and time zone (both in England: Manchester and Liverpool).
DEMO_SITES = [
    ("North Works", "NORTH", 53.4808, -2.2426, "Europe/London"),
    ("Harbour Depot", "HARBOUR", 53.4084, -2.9916, "Europe/London"),
]


def demo_email(role: str) -> str:
    return f"{role}@demo.safeloop.test"


def seed_demo() -> bool:
    """Create the demo organization, sites and users; False when they already exist."""
    if db.session.scalar(select(Organization.id).where(Organization.name == DEMO_ORGANIZATION)):
        return False
    organization = Organization(name=DEMO_ORGANIZATION)
    db.session.add(organization)
    for name, code, lat, lon, zone in DEMO_SITES:
        db.session.add(
            Site(
                organization=organization,
                name=name,
                code=code,
                latitude=lat,
                longitude=lon,
                time_zone=zone,
            )
        )
    db.session.commit()
    for role in ROLES:
        if not find_user(demo_email(role)):
            create_user(
                demo_email(role), f"Demo {role.title()}", DEMO_PASSWORD, DEMO_ORGANIZATION, role
            )
    seed_audits(organization)
    seed_register(organization)
    seed_reviews(organization)
    seed_documents(organization)
    seed_training(organization)
    return True


# A few entries of each site's register: (activity, hazard, who, category, inherent, residual,
# controls as (text, level)); the heat map, Site risks and link suggestions then show something.
DEMO_REGISTER = [
    (
        "Forklift movements in the loading bay",
        "Pedestrian struck by a reversing forklift",
        "Warehouse staff, drivers, visitors",
        "vehicles_traffic",
        (4, 4),
        (4, 2),
        [
            ("Marked pedestrian walkways with barriers", "engineering"),
            ("Banksman for every reversing movement", "administrative"),
            ("High-visibility vests in the yard", "ppe"),
        ],
    ),
    (
        "Press 4 operation",
        "Hands caught in the closing tool",
        "Press operators",
        "machinery",
        (5, 3),
        (5, 1),
        [
            ("Interlocked guard and light curtain", "engineering"),
            ("Lockout before tool changes", "administrative"),
        ],
    ),
    (
        "Hydraulic oil on the shop floor",
        "Slips on leaked oil around the presses",
        "Everyone on the shop floor",
        "slips_trips_falls",
        (3, 4),
        (3, 2),
        [
            ("Drip trays under every press", "engineering"),
            ("Spill kits and a cleaning round each shift", "administrative"),
        ],
    ),
    (
        "Diesel storage",
        "Spill reaching the surface water drain",
        "The river and its users",
        "environmental_release",
        (4, 3),
        (4, 1),
        [
            ("Bunded tank at 110% of its volume", "engineering"),
            ("Weekly bund check", "administrative"),
        ],
    ),
]


def seed_register(organization: Organization) -> None:
    """Each site's register: the entries above, owned by the officer, reviewed in six months."""
    officer = _actor(organization, "officer")
    review_on = date.today() + timedelta(days=180)
    for site in db.session.scalars(
        select(Site).where(Site.organization_id == organization.id).order_by(Site.id)
    ):
        for activity, hazard, who, category, inherent, residual, controls in DEMO_REGISTER:
            create_risk(
                officer,
                {
                    "id": uuid.uuid4(),
                    "site_id": site.id,
                    "kind": "risk",
                    "activity": activity,
                    "hazard": hazard,
                    "who": who,
                    "category": category,
                    "severity": inherent[0],
                    "likelihood": inherent[1],
                    "controls": [{"text": text, "control": level} for text, level in controls],
                    "residual_severity": residual[0],
                    "residual_likelihood": residual[1],
                    "owner_id": officer.user_id,
                    "review_on": review_on,
                },
            )


# The signed-off demo audit: most answers conforming, these otherwise (question ref: result).
DEMO_FINDINGS = {
    "6.1.3a": ("minor_nc", "The legal register misses the 2025 update of the noise regulations."),
    "8.1.1": ("major_nc", "Permit to work not used for hot work at the quay; no fire watch."),
    "7.2a": ("observation", "Toolbox talk records kept on paper only; consider the app."),
}


def _actor(organization: Organization, role: str):
    user = find_user(demo_email(role))
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == organization.id
        )
    )
    return actor_for(membership)


def seed_audits(organization: Organization) -> None:
    """The starter templates, the auditor's competence, a schedule and one audit signed off."""
    ensure_starter_templates(organization.id)
    officer, auditor = _actor(organization, "officer"), _actor(organization, "auditor")
    today = date.today()
    record_competence(
        officer,
        auditor.user_id,
        {
            "module": "internal_audit",
            "title": "ISO 45001 internal auditor course",
            "completed_on": today - timedelta(days=200),
            "expires_on": today + timedelta(days=900),
        },
    )
    templates = {
        t.starter: t
        for t in db.session.scalars(
            select(AuditTemplate).where(AuditTemplate.organization_id == organization.id)
        )
    }
    north, harbour = db.session.scalars(
        select(Site).where(Site.organization_id == organization.id).order_by(Site.id)
    )
    create_schedule(
        officer,
        {
            "id": uuid.uuid4(),
            "template_id": templates["iso45001"].id,
            "site_id": north.id,
            "auditor_id": auditor.user_id,
            "auditee_id": officer.user_id,
            "rrule": "FREQ=MONTHLY;INTERVAL=3",
            "starts_on": today + timedelta(days=5),
        },
    )
    _signed_off_audit(auditor, templates["iso45001"], harbour)


def _signed_off_audit(auditor, template: AuditTemplate, site: Site) -> None:
    audit, _new = create_audit(
        auditor, {"id": uuid.uuid4(), "template_id": template.id, "site_id": site.id}
    )
    answered_at = utcnow() - timedelta(days=12)
    for section in audit.template_version.sections:
        for question in section["questions"]:
            result, notes = DEMO_FINDINGS.get(question["ref"], ("conforming", None))
            item = {
                "id": uuid.uuid4(),
                "audit_id": audit.id,
                "question_id": uuid.UUID(str(question["id"])),
                "result": result,
                "notes": notes,
                "photos": [],
                "answered_at": answered_at,
            }
            save_response(auditor, item)
    db.session.commit()
    submit_audit(auditor, audit.id, answered_at + timedelta(hours=2))


# (title, measure, target, direction)
DEMO_OBJECTIVES = [
    ("Injuries per 200,000 hours worked", "injury_rate", 1.0, "at_most"),
    ("Actions done by their due day", "actions_on_time", 90.0, "at_least"),
    ("Every site audited each quarter", "sites_audited", 100.0, "at_least"),
]
# Hours worked each month across both sites.
DEMO_HOURS = 41_500.0


def seed_reviews(organization: Organization) -> None:
    """Three objectives (the injury rate with hours worked from two quarters back), and the previous
    quarter's review held with its attendees, two decisions and two actions, one of them done."""
    officer, worker = _actor(organization, "officer"), _actor(organization, "worker")
    today = date.today()
    this_quarter = quarter_of(today)
    last_quarter = quarter_of(this_quarter.start - timedelta(days=1))
    for title, measure, target, direction in DEMO_OBJECTIVES:
        objective, _new = create_objective(
            officer,
            {
                "id": uuid.uuid4(),
                "title": title,
                "measure": measure,
                "target": target,
                "direction": direction,
            },
        )
        if measure == "injury_rate":
            month = quarter_of(last_quarter.start - timedelta(days=1)).start
            while month <= today:
                put_figure(officer, objective.id, month, DEMO_HOURS)
                month = (month + timedelta(days=32)).replace(day=1)
    _held_review(officer, worker, organization, last_quarter, this_quarter.start)


def _held_review(officer, worker, organization: Organization, period, next_start: date) -> None:
    review, _new = create_review(
        officer,
        {"id": uuid.uuid4(), "period_start": period.start, "period_end": period.end},
    )
    update_review(
        officer,
        review.id,
        {
            "attendees": ["Demo Admin (plant manager)", "Demo Officer (EHS)", "Demo Worker"],
            "decisions": [
                {"text": "Separate pedestrians from forklifts in the loading bay this quarter."},
                {"text": "Audit Harbour Depot every quarter from now on."},
            ],
            "notes": "The loading bay near misses were the main topic.",
        },
    )
    north, harbour = db.session.scalars(
        select(Site).where(Site.organization_id == organization.id).order_by(Site.id)
    )
    # The worker's is done; the officer's is still open.
    decided = [
        ("Mark a pedestrian walkway in the loading bay", 20, north, worker),
        ("Add Harbour Depot to the quarterly audit programme", 45, harbour, officer),
    ]
    actions = [
        add_action(
            officer,
            review.id,
            {
                "id": uuid.uuid4(),
                "title": title,
                "owner_id": owner.user_id,
                "due_on": date.today() + timedelta(days=days),
                "site_id": site.id,
            },
        )[0]
        for title, days, site, owner in decided
    ]
    complete_action(
        worker, actions[0].id, {"notes": "Walkway painted and barriers fitted.", "photos": []}
    )
    hold_review(officer, review.id, min(date.today(), next_start + timedelta(days=7)))


# (role, module, title, completed and expiry days from today): the matrix then shows records
# valid, due within 60 days, expired and missing, and a module of the organization's own.
DEMO_TRAINING = [
    ("worker", "risk_based_thinking", "Hazard spotting toolbox talk", -700, 30),
    ("worker", "forklift_licence", "Counterbalance forklift licence", -300, 800),
    ("officer", "root_cause_analysis", "Root cause analysis workshop", -120, 1000),
    ("officer", "document_control", "Document control for ISO 9001", -800, -10),
    ("admin", "document_control", "Document control for ISO 9001", -60, None),
]


def seed_training(organization: Organization) -> None:
    """Training records of the demo's people, and the organization's forklift licence module."""
    officer = _actor(organization, "officer")
    add_module(officer, {"label": "Forklift licence"})
    today = date.today()
    for role, module, title, completed, expires in DEMO_TRAINING:
        record_competence(
            officer,
            _actor(organization, role).user_id,
            {
                "module": module,
                "title": title,
                "completed_on": today + timedelta(days=completed),
                "expires_on": today + timedelta(days=expires) if expires is not None else None,
            },
        )


# (code, title, kind, roles concerned, what it says, approved): the policy everyone reads, a
# procedure for the shop floor, and a draft waiting for its approval.
DEMO_DOCUMENTS = [
    (
        "POL-001",
        "Health, safety and environment policy",
        "policy",
        [],
        [
            "We prevent injury and ill health, protect the environment and prevent pollution.",
            "We meet our legal duties and consult our workers on every change that affects them.",
            "Anyone may stop a job they believe is unsafe, without blame.",
        ],
        True,
    ),
    (
        "SOP-014",
        "Lockout and tagout of machinery",
        "procedure",
        ["worker", "auditor"],
        [
            "1. Tell the operators, then stop the machine with its normal control.",
            "2. Isolate every energy source and fit your own padlock and tag.",
            "3. Release stored energy, then try the start button: nothing may move.",
            "4. Only the person who fitted a lock removes it.",
        ],
        True,
    ),
    (
        "SOP-021",
        "Spill response at the diesel store",
        "procedure",
        ["worker"],
        [
            "1. Stop the source if it is safe to do so.",
            "2. Put drain covers down, then contain the spill with the kit's booms.",
            "3. Report it as an environmental incident from the app.",
        ],
        False,
    ),
]


def _document_pdf(code: str, title: str, lines: list[str]) -> bytes:
    """A one-page PDF of a demo document."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"{code} {title}")
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(60, 770, f"{code}  {title}")
    canvas.setFont("Helvetica", 12)
    for number, line in enumerate(lines):
        canvas.drawString(60, 730 - 24 * number, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def seed_documents(organization: Organization) -> None:
    """Controlled documents: two approved (by the admin, written by the officer), one draft."""
    officer, admin = _actor(organization, "officer"), _actor(organization, "admin")
    for code, title, kind, roles, lines, approved in DEMO_DOCUMENTS:
        pdf = _document_pdf(code, title, lines)
        sha256 = hashlib.sha256(pdf).hexdigest()
        store_file(officer, sha256, "application/pdf", io.BytesIO(pdf), len(pdf))
        db.session.commit()
        document, _new = create_document(
            officer,
            {
                "id": uuid.uuid4(),
                "code": code,
                "title": title,
                "kind": kind,
                "owner_id": officer.user_id,
                "audience": {"roles": roles, "site_ids": []},
            },
        )
        revision, _new = add_revision(
            officer,
            document.id,
            {
                "id": uuid.uuid4(),
                "file_sha256": sha256,
                "filename": f"{code}.pdf",
                "summary": "First issue.",
            },
        )
        if approved:
            approve(admin, document.id, revision.id, {})


@click.command("seed-demo")
def seed_demo_command():
    """Create demo data when missing, and print the demo sign-ins."""
    created = seed_demo()
    click.echo("Demo data created." if created else "Demo data already present.")
    click.echo(f"Demo sign-ins (password: {DEMO_PASSWORD}):")
    for role in ROLES:
        click.echo(f"  {role:<8} {demo_email(role)}")
