"""Audit templates: the starter checklists, making and copying templates, and versions.

A template's content lives in its versions. Editing a version no audit has run changes it in
place; once an audit has run it, an edit makes the next version and the old one stays as it was,
so that every audit keeps the questions it was asked.
"""

import copy
import json
import re
import uuid
from importlib import resources

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from server.audits.models import Audit, AuditTemplate, AuditTemplateVersion
from server.audits.records import DESK_ROLES, TEMPLATE_TYPE, touch
from server.auth.access import Actor
from server.documents.reading import document_refs
from server.events.services import created_hash
from server.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from server.extensions import db
from server.records.identity import DUPLICATE, fingerprint, resend_status

STARTER_KEYS = ("iso45001", "iso14001", "iso9001")
# Auditors run templates, so they read them; workers do not audit.
READER_ROLES = (*DESK_ROLES, "auditor")
# The namespace of starter ids: uuid5(it, "<organization id>:<key>") is the template's id,
# uuid5(that id, question ref) each question's, so an organization's copy keeps its ids.
STARTER_NAMESPACE = uuid.UUID("5a7e1009-a0d1-4c1e-9f3b-2f0c8e1d4a60")
QUESTION_FIELDS = ("ref", "text", "guidance", "weight", "evidence_on_nc")
_LETTER_SUFFIX = re.compile(r"(?<=\d)[a-z]$")


def starter_data(key: str) -> dict:
    """A starter template as its data file holds it (server/audits/starter/<key>.json)."""
    text = resources.files("server.audits.starter").joinpath(f"{key}.json").read_text("utf-8")
    return json.loads(text)


def clause_of(ref: str) -> str:
    """The clause a question ref names: "6.1.2a" (one of several on 6.1.2) is 6.1.2."""
    return _LETTER_SUFFIX.sub("", ref.strip())


def _require(actor: Actor, roles: tuple[str, ...], doing: str) -> None:
    if actor.role not in roles:
        raise NotAllowed(f"{doing} needs the role {' or '.join(roles)}.")


# Seeding ----------------------------------------------------------------------------------


def starter_id(organization_id: int, key: str) -> uuid.UUID:
    """The id of an organization's copy of a starter template."""
    return uuid.uuid5(STARTER_NAMESPACE, f"{organization_id}:{key}")


def _starter_sections(template_id: uuid.UUID, data: dict) -> list[dict]:
    """The data file's sections, each question with its id for this organization."""
    return [
        {
            "ref": section["ref"],
            "title": section["title"],
            "questions": [
                {
                    "id": str(uuid.uuid5(template_id, question["ref"])),
                    **_DEFAULTS,
                    **{name: question[name] for name in QUESTION_FIELDS if name in question},
                }
                for question in section["questions"]
            ],
        }
        for section in data["sections"]
    ]


_DEFAULTS = {"guidance": "", "weight": 1, "evidence_on_nc": False}


def ensure_starter_templates(organization_id: int) -> None:
    """Give the organization its starter templates, once each (version 1); commits.

    Safe to call on every request: a seeder running at the same moment wins, this one rereads.
    """
    for _attempt in range(3):
        seeded = set(
            db.session.scalars(
                select(AuditTemplate.starter).where(
                    AuditTemplate.organization_id == organization_id,
                    AuditTemplate.starter.is_not(None),
                )
            )
        )
        missing = [key for key in STARTER_KEYS if key not in seeded]
        if not missing:
            return
        try:
            for key in missing:
                _seed(organization_id, key)
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
    raise Conflict("The starter templates are being set up; try again.")


def _seed(organization_id: int, key: str) -> None:
    data = starter_data(key)
    template_id = starter_id(organization_id, key)
    template = _insert(
        organization_id,
        None,
        template_id,
        data["name"],
        data["standard"],
        _starter_sections(template_id, data),
        starter=key,
    )
    touch(template, TEMPLATE_TYPE, None, "created", version=1, starter=key)


def _insert(
    organization_id: int,
    user_id: int | None,
    template_id: uuid.UUID,
    name: str,
    standard: str,
    sections: list[dict],
    starter: str | None = None,
) -> AuditTemplate:
    """Add a template with its version 1; flushed, not committed."""
    template = AuditTemplate(
        id=template_id,
        organization_id=organization_id,
        name=name,
        standard=standard,
        version=1,
        starter=starter,
        created_by_id=user_id,
    )
    db.session.add(template)
    db.session.flush()
    db.session.add(_version_row(template, 1, name, standard, sections, user_id))
    db.session.flush()
    return template


def _version_row(template, number, name, standard, sections, user_id) -> AuditTemplateVersion:
    return AuditTemplateVersion(
        template_pk=template.pk,
        version=number,
        name=name,
        standard=standard,
        sections=sections,
        question_count=sum(len(s["questions"]) for s in sections),
        created_by_id=user_id,
    )


# Reading ----------------------------------------------------------------------------------


def newest_version(template: AuditTemplate) -> AuditTemplateVersion:
    """The version audits started from now on run."""
    return db.session.scalar(
        select(AuditTemplateVersion).where(
            AuditTemplateVersion.template_pk == template.pk,
            AuditTemplateVersion.version == template.version,
        )
    )


def get_version(organization_id: int, template_pk: int, version: int) -> AuditTemplateVersion:
    """One version of one of the organization's templates, or NotFound."""
    found = db.session.scalar(
        select(AuditTemplateVersion)
        .join(AuditTemplate)
        .where(
            AuditTemplate.organization_id == organization_id,
            AuditTemplateVersion.template_pk == template_pk,
            AuditTemplateVersion.version == version,
        )
    )
    if found is None:
        raise NotFound(f"No version {version} of this template.")
    return found


def find_template(organization_id: int, template_id: uuid.UUID) -> AuditTemplate | None:
    """The organization's template with this id."""
    return db.session.scalar(
        select(AuditTemplate).where(
            AuditTemplate.organization_id == organization_id, AuditTemplate.id == template_id
        )
    )


def visible_template(actor: Actor, template_id: uuid.UUID) -> AuditTemplate:
    """One template of the actor's organization that the actor may read, or NotFound."""
    _require(actor, READER_ROLES, "Reading audit templates")
    found = find_template(actor.organization_id, template_id)
    if found is None:
        raise NotFound(f"No audit template with id {template_id}.")
    return found


def version_used(version_pk: int) -> bool:
    """True when an audit has run this version."""
    return bool(db.session.scalar(select(exists().where(Audit.template_version_pk == version_pk))))


def template_view(
    template: AuditTemplate, version: AuditTemplateVersion, used: bool | None = None
) -> dict:
    """A template as one of its versions says it (the shape of an audit's `template`)."""
    return {
        "id": template.id,
        "name": version.name,
        "standard": version.standard,
        "version": version.version,
        "starter": template.starter,
        "archived": template.archived,
        "used": version_used(version.pk) if used is None else used,
        "question_count": version.question_count,
        "sections": version.sections,
        "created_at": template.created_at,
        "changed_at": template.changed_at,
        "change_id": template.change_id,
    }


def get_template(actor: Actor, template_id: uuid.UUID) -> dict:
    """The template's newest version, with whether an audit ran it."""
    template = visible_template(actor, template_id)
    return template_view(template, newest_version(template))


def list_templates(actor: Actor, include_archived: bool = False) -> list[dict]:
    """The organization's templates, each as its newest version says it, by name."""
    _require(actor, READER_ROLES, "Reading audit templates")
    stmt = (
        select(AuditTemplate, AuditTemplateVersion)
        .join(
            AuditTemplateVersion,
            (AuditTemplateVersion.template_pk == AuditTemplate.pk)
            & (AuditTemplateVersion.version == AuditTemplate.version),
        )
        .where(AuditTemplate.organization_id == actor.organization_id)
        .order_by(AuditTemplate.name, AuditTemplate.pk)
    )
    if not include_archived:
        stmt = stmt.where(AuditTemplate.archived.is_(False))
    rows = db.session.execute(stmt).all()
    used = set(
        db.session.scalars(
            select(Audit.template_version_pk).where(
                Audit.organization_id == actor.organization_id,
                Audit.template_version_pk.in_([version.pk for _, version in rows]),
            )
        )
    )
    return [template_view(t, v, v.pk in used) for t, v in rows]


# Changing ---------------------------------------------------------------------------------


def _tidy_sections(sections: list[dict]) -> list[dict]:
    """Sections as stored: trimmed text, every question with an id (a new one when none)."""
    return [
        {
            "ref": section["ref"].strip(),
            "title": section["title"].strip(),
            "questions": [
                {
                    "id": str(question["id"] or uuid.uuid4()),
                    "ref": question["ref"].strip(),
                    "text": question["text"].strip(),
                    "guidance": (question["guidance"] or "").strip(),
                    "weight": question["weight"],
                    "evidence_on_nc": question["evidence_on_nc"],
                    **_document_field(question),
                }
                for question in section["questions"]
            ],
        }
        for section in sections
    ]


def _document_field(question: dict) -> dict:
    """A question's document_id as stored: only when it names one (older ones have none)."""
    document_id = question.get("document_id")
    return {"document_id": str(document_id)} if document_id else {}


def check_documents(organization_id: int, sections: list[dict]) -> None:
    """422 naming each question whose document_id is not a document of the organization."""
    named = {
        f"sections.{i}.questions.{j}.document_id": str(question["document_id"])
        for i, section in enumerate(sections)
        for j, question in enumerate(section["questions"])
        if question.get("document_id")
    }
    known = document_refs(organization_id, set(named.values()))
    errors = {
        field: ["No such document in your organization."]
        for field, document_id in named.items()
        if document_id not in known
    }
    if errors:
        raise InvalidInput("A question names an unknown document.", errors=errors)


def with_documents(organization_id: int, sections: list[dict]) -> list[dict]:
    """The sections with each question's document as {id, code, title} (None when none)."""
    refs = document_refs(
        organization_id,
        {q.get("document_id") for s in sections for q in s["questions"]} - {None},
    )
    return [
        {
            **section,
            "questions": [
                {
                    **question,
                    "document_id": question.get("document_id"),
                    "document": refs.get(question.get("document_id") or ""),
                }
                for question in section["questions"]
            ],
        }
        for section in sections
    ]


def create_template(actor: Actor, data: dict) -> tuple[AuditTemplate, bool]:
    """Make a template (POST's body), or copy one when copy_of is given; (it, True when new).

    Idempotent on the client's id: the same id and content again gives the same template
    back; the same id with other content is a Conflict. Commits.
    """
    _require(actor, DESK_ROLES, "Making audit templates")
    data = {**data, "id": data.get("id") or uuid.uuid4()}
    digest = fingerprint(data)
    try:
        return _create(actor, data, digest)
    except IntegrityError:
        # Another request saved this id at this very moment.
        db.session.rollback()
        return _create(actor, data, digest)


def _create(actor: Actor, data: dict, digest: str) -> tuple[AuditTemplate, bool]:
    known = find_template(actor.organization_id, data["id"])
    if known is not None:
        return _resent(known, digest), False
    if data.get("copy_of") is not None:
        template = _copy(actor, data)
    else:
        check_documents(actor.organization_id, data["sections"])
        template = _insert(
            actor.organization_id,
            actor.user_id,
            data["id"],
            data["name"].strip(),
            data["standard"],
            _tidy_sections(data["sections"]),
        )
    touch(
        template,
        TEMPLATE_TYPE,
        actor.user_id,
        "created",
        version=1,
        copy_of=str(data["copy_of"]) if data.get("copy_of") else None,
        content_hash=digest,
    )
    db.session.commit()
    return template, True


def _copy(actor: Actor, data: dict) -> AuditTemplate:
    """A new template from another's newest version, its questions with fresh ids."""
    source = find_template(actor.organization_id, data["copy_of"])
    if source is None:
        raise InvalidInput(errors={"copy_of": ["No such audit template."]})
    version = newest_version(source)
    sections = copy.deepcopy(version.sections)
    for section in sections:
        for question in section["questions"]:
            question["id"] = str(uuid.uuid4())
    return _insert(
        actor.organization_id,
        actor.user_id,
        data["id"],
        data["name"].strip(),
        version.standard,
        sections,
    )


def _resent(known: AuditTemplate, digest: str) -> AuditTemplate:
    """The template already saved under this id, when this is a resend of it; else Conflict."""
    saved = created_hash(known.organization_id, TEMPLATE_TYPE, known.id)
    if saved and resend_status(saved, digest) == DUPLICATE:
        return known
    raise Conflict(
        "An audit template with this id already exists with other content.",
        errors={"id": ["Taken by another audit template."]},
    )


def lock_template(template_pk: int) -> AuditTemplate:
    """The template read again after taking its write lock (a row lock on PostgreSQL, the
    database's write lock on SQLite): edits, and audits starting on it, take it first."""
    db.session.execute(
        update(AuditTemplate)
        .where(AuditTemplate.pk == template_pk)
        .values(version=AuditTemplate.version)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(
        select(AuditTemplate)
        .where(AuditTemplate.pk == template_pk)
        .execution_options(populate_existing=True)
    )


def _same_content(version: AuditTemplateVersion, data: dict) -> bool:
    """True when data says what the version says (a question sent without an id matches)."""
    if (version.name, version.standard) != (data["name"].strip(), data["standard"]):
        return False
    given = [q["id"] is not None for s in data["sections"] for q in s["questions"]]
    sent = _tidy_sections(data["sections"])
    return _outline(version.sections, given) == _outline(sent, given)


def _outline(sections: list[dict], given: list[bool]) -> list:
    """Sections as comparable values, with question ids only where the sender gave them."""
    marks = iter(given)
    return [
        (
            section["ref"],
            section["title"],
            [
                (
                    *(q[name] for name in QUESTION_FIELDS),
                    q.get("document_id"),
                    q["id"] if next(marks, False) else None,
                )
                for q in section["questions"]
            ],
        )
        for section in sections
    ]


def update_template(actor: Actor, template_id: uuid.UUID, data: dict) -> AuditTemplate:
    """PUT: the template's new content. In place while no audit ran the newest version, else
    as the next version; the same content again changes nothing. Commits."""
    _require(actor, DESK_ROLES, "Changing audit templates")
    template = lock_template(visible_template(actor, template_id).pk)
    version = newest_version(template)
    if data.get("archived") is not None and data["archived"] != template.archived:
        template.archived = data["archived"]
        touch(
            template,
            TEMPLATE_TYPE,
            actor.user_id,
            "archived" if template.archived else "restored",
            version=template.version,
        )
    if not _same_content(version, data):
        check_documents(actor.organization_id, data["sections"])
        _change(actor, template, version, data)
    db.session.commit()
    return template


def _change(actor, template, version, data) -> None:
    """Edit the newest version in place, or add the next one when an audit ran it."""
    name, standard = data["name"].strip(), data["standard"]
    sections = _tidy_sections(data["sections"])
    template.name, template.standard = name, standard
    if version_used(version.pk):
        template.version = version.version + 1
        row = _version_row(template, template.version, name, standard, sections, actor.user_id)
        db.session.add(row)
        db.session.flush()
        touch(template, TEMPLATE_TYPE, actor.user_id, "versioned", version=template.version)
        return
    version.name, version.standard, version.sections = name, standard, sections
    version.question_count = sum(len(s["questions"]) for s in sections)
    touch(template, TEMPLATE_TYPE, actor.user_id, "edited", version=version.version)
