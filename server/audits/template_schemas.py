"""Audit template input (POST and PUT bodies, the list's query) and output.

Field errors are named by their path in the body, e.g. "sections.2.questions.0.text", so that
the desk can put each message beside the box it concerns.
"""

import marshmallow as ma
from marshmallow import validate

from server.audits.models import STANDARDS
from server.documents.schemas import DocumentRefOut
from server.validation import Integer, Text

MAX_NAME = 200
# A section's ref is copied into each answer as its clause (a 32-character column).
MAX_REF = 32
MAX_TITLE = 200
MAX_QUESTION = 2000
MAX_GUIDANCE = 5000
MAX_SECTIONS = 50
MAX_QUESTIONS = 300
WEIGHT_MIN, WEIGHT_MAX = 1, 10


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _text(limit: int, **kwargs) -> Text:
    """Text of at most limit characters, not blank."""
    return Text(validate=[validate.Length(max=limit), _not_blank], **kwargs)


def flat_errors(messages, prefix: str = "") -> dict:
    """marshmallow's nested messages as {"sections.2.questions.0.text": [...]}."""
    if not isinstance(messages, dict):
        return {prefix: messages if isinstance(messages, list) else [messages]}
    flat = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        flat.update(flat_errors(value, name))
    return flat


class FlatErrors(ma.Schema):
    """A schema whose field errors are named by their dotted path."""

    def handle_error(self, error: ma.ValidationError, data, **kwargs) -> None:
        raise ma.ValidationError(
            flat_errors(error.messages), data=error.data, valid_data=error.valid_data
        )


class QuestionIn(FlatErrors):
    """One question; a question without an id gets a new one."""

    id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "Kept when given: answers to it stay comparable across versions"},
    )
    ref = _text(MAX_REF, required=True, metadata={"description": "e.g. 6.1.2"})
    text = _text(MAX_QUESTION, required=True, metadata={"description": "What the auditor asks"})
    guidance = Text(
        load_default="",
        allow_none=True,
        validate=validate.Length(max=MAX_GUIDANCE),
        metadata={"description": "What evidence to look at, whom to interview"},
    )
    weight = Integer(
        load_default=1,
        validate=validate.Range(WEIGHT_MIN, WEIGHT_MAX),
        metadata={"description": "What the question counts for in the score"},
    )
    evidence_on_nc = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "A nonconforming answer needs a photo"},
    )
    document_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": "A controlled document of the organization the question checks"},
    )


class SectionIn(FlatErrors):
    """One section: a clause of the standard and its questions."""

    ref = _text(MAX_REF, required=True, metadata={"description": 'The clause, e.g. "6"'})
    title = _text(MAX_TITLE, required=True)
    questions = ma.fields.List(
        ma.fields.Nested(QuestionIn), required=True, validate=validate.Length(max=MAX_QUESTIONS)
    )


def _sections(**kwargs) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Nested(SectionIn), validate=validate.Length(min=1, max=MAX_SECTIONS), **kwargs
    )


def _duplicates(values: list) -> set:
    seen, twice = set(), set()
    for value in values:
        (twice if value in seen else seen).add(value)
    return twice


def content_errors(sections: list) -> dict:
    """What the sections get wrong together: refs and ids used twice, no question at all."""
    errors = {}
    section_refs = _duplicates([s["ref"].strip() for s in sections])
    question_refs = _duplicates([q["ref"].strip() for s in sections for q in s["questions"]])
    question_ids = _duplicates(
        [q["id"] for s in sections for q in s["questions"] if q["id"] is not None]
    )
    for i, section in enumerate(sections):
        if section["ref"].strip() in section_refs:
            errors[f"sections.{i}.ref"] = ["Another section has this ref."]
        for j, question in enumerate(section["questions"]):
            name = f"sections.{i}.questions.{j}"
            if question["ref"].strip() in question_refs:
                errors[f"{name}.ref"] = ["Another question has this ref."]
            if question["id"] is not None and question["id"] in question_ids:
                errors[f"{name}.id"] = ["Another question has this id."]
    if not any(s["questions"] for s in sections):
        errors["sections"] = ["A template needs at least one question."]
    return errors


class TemplateContentIn(FlatErrors):
    """What a template says: its name, standard and sections of questions."""

    name = _text(MAX_NAME, required=True)
    standard = Text(required=True, validate=validate.OneOf(STANDARDS))
    sections = _sections(required=True)

    @ma.validates_schema(skip_on_field_errors=True)
    def _content(self, data: dict, **_kwargs) -> None:
        errors = content_errors(data["sections"])
        if errors:
            raise ma.ValidationError(errors)


class TemplateIn(FlatErrors):
    """POST /api/audit-templates: a new template, or {copy_of, name} to copy another one."""

    id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "The client's UUID; required unless copy_of is given"},
    )
    copy_of = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "Copy this template's newest version (fresh question ids)"},
    )
    name = _text(MAX_NAME, required=True)
    standard = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(STANDARDS),
        metadata={"description": "Required unless copy_of is given (a copy keeps its source's)"},
    )
    sections = _sections(
        load_default=None,
        allow_none=True,
        metadata={"description": "Required unless copy_of is given"},
    )

    @ma.validates_schema(skip_on_field_errors=True)
    def _content(self, data: dict, **_kwargs) -> None:
        if data["copy_of"] is not None:
            extra = [name for name in ("standard", "sections") if data[name] is not None]
            if extra:
                raise ma.ValidationError({name: ["Not with copy_of."] for name in extra})
            return
        missing = {
            name: ["Missing data for required field."]
            for name in ("id", "standard", "sections")
            if data[name] is None
        }
        if missing:
            raise ma.ValidationError(missing)
        errors = content_errors(data["sections"])
        if errors:
            raise ma.ValidationError(errors)


class TemplateUpdateIn(TemplateContentIn):
    """PUT /api/audit-templates/{id}: the template's whole new content."""

    archived = ma.fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "Archive (true) or bring back (false); unchanged when left out"},
    )


class TemplateFilterIn(ma.Schema):
    """GET /api/audit-templates' query."""

    include_archived = ma.fields.Boolean(
        load_default=False, metadata={"description": "Archived templates too"}
    )


class QuestionOut(ma.Schema):
    id = ma.fields.UUID()
    ref = ma.fields.String()
    text = ma.fields.String()
    guidance = ma.fields.String()
    weight = ma.fields.Integer()
    evidence_on_nc = ma.fields.Boolean()
    document_id = ma.fields.UUID(allow_none=True)
    document = ma.fields.Nested(DocumentRefOut, allow_none=True)


class SectionOut(ma.Schema):
    ref = ma.fields.String()
    title = ma.fields.String()
    questions = ma.fields.List(ma.fields.Nested(QuestionOut))


class TemplateOut(ma.Schema):
    """A template as its newest version says it; an audit's template is the version it ran."""

    id = ma.fields.UUID()
    name = ma.fields.String()
    standard = ma.fields.String()
    version = ma.fields.Integer()
    starter = ma.fields.String(
        allow_none=True, metadata={"description": "The starter template it was seeded from"}
    )
    archived = ma.fields.Boolean()
    used = ma.fields.Boolean(metadata={"description": "An audit ran this version"})
    question_count = ma.fields.Integer()
    sections = ma.fields.List(ma.fields.Nested(SectionOut))
    created_at = ma.fields.AwareDateTime()
    changed_at = ma.fields.AwareDateTime()
    change_id = ma.fields.Integer()
