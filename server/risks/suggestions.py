"""Which register entries a report most likely concerns: those of its triage category first,
then those whose activity and hazard share its words, each with the reason in plain words.

A site's register may hold thousands of entries: the database picks the candidates (the site's
active entries of the report's category, and those containing most of the report's words), and
only those few are scored here with rapidfuzz.
"""

import uuid

from rapidfuzz import fuzz
from sqlalchemy import Integer, case, func, literal, select

from server.auth.access import Actor
from server.exceptions import NotAllowed
from server.extensions import db
from server.language.normalize import fold_word
from server.language.overlap import meaningful_words
from server.reports.models import Report
from server.reports.services import visible_report
from server.risks.models import ACTIVE, Risk
from server.risks.records import DESK_ROLES
from server.triage.rules import CATEGORY_LABELS
from server.triage.vocabulary import UNCATEGORISED

MAX_SUGGESTIONS = 5
# Candidates read per kind (same category; others by words in common) before scoring.
MAX_CANDIDATES = 40
# The report's words looked for in the database: its longest, the most telling.
MAX_WORDS = 8
MIN_WORD = 3
# An entry of another category is suggested only when it scores above this (0-100).
MIN_SCORE = 50


def suggest(actor: Actor, report_id: uuid.UUID) -> list[tuple[Risk, str]]:
    """Up to 5 active entries of the report's site it most likely concerns, best first, each
    with why: (entry, reason)."""
    if actor.role not in DESK_ROLES:
        raise NotAllowed(f"This needs the role {' or '.join(DESK_ROLES)}.")
    report = visible_report(actor, report_id)
    category = report.queue_category if report.queue_category != UNCATEGORISED else None
    words = meaningful_words(report.description)
    ranked = []
    for risk in _candidates(report, category, _searched(words)):
        same = category is not None and risk.category == category
        score, common = _score(words, risk)
        if same or (common and score > MIN_SCORE):
            key = (not same, -score, -len(common), -_residual(risk), risk.number)
            ranked.append((key, risk, common))
    ranked.sort(key=lambda row: row[0])
    return [
        (risk, _reason(not key[0], category, common))
        for key, risk, common in ranked[:MAX_SUGGESTIONS]
    ]


def _residual(risk: Risk) -> int:
    return risk.residual_severity * risk.residual_likelihood


def _searched(words: dict[str, str]) -> list[str]:
    """What of the report's words to look for in the register: its longest, the most telling."""
    fragments = {_fragment(key, surface) for key, surface in words.items()}
    telling = sorted((f for f in fragments if len(f) >= MIN_WORD), key=lambda f: (-len(f), f))
    return telling[:MAX_WORDS]


def _fragment(key: str, surface: str) -> str:
    """What of a word to look for in an entry's text: the start of it, as written, that its key
    keeps ("slipperi", "slippery": "slipper"; "slisk", "śliska": "ślisk")."""
    kept = 0
    while kept < min(len(key), len(surface)) and fold_word(surface[kept]) == key[kept]:
        kept += 1
    return surface[:kept]


def _candidates(report: Report, category: str | None, fragments: list[str]) -> list[Risk]:
    """The site's active entries worth scoring: up to MAX_CANDIDATES of the report's category,
    and as many others sharing its words, each kind with the most words in common first.

    One pass over the site's register: the cheap measure is how many of the report's words
    (their start, see _fragment) appear in the entry's lower-cased text, numbered within each
    kind by a window.
    """
    register = (
        select(
            Risk.pk,
            Risk.number,
            case((Risk.category == category, 1), else_=0).label("same"),
            func.lower(Risk.activity + literal(" ") + Risk.hazard).label("text"),
        )
        .where(
            Risk.organization_id == report.organization_id,
            Risk.site_id == report.site_id,
            Risk.status == ACTIVE,
        )
        # OFFSET 0 keeps the subquery as it is: its text is lower-cased once a row, not once
        # a word (PostgreSQL would otherwise write lower(...) into every test below).
        .offset(0)
        .subquery()
    )
    hits = sum(
        (case((_holds(register.c.text, word), 1), else_=0) for word in fragments),
        literal(0, Integer),
    ).label("hits")
    scored = select(register.c.pk, register.c.same, hits, register.c.number).subquery()
    ranked = select(
        scored.c.pk,
        scored.c.same,
        scored.c.hits,
        func.row_number()
        .over(partition_by=scored.c.same, order_by=(scored.c.hits.desc(), scored.c.number))
        .label("rank"),
    ).subquery()
    pks = select(ranked.c.pk).where(
        ranked.c.rank <= MAX_CANDIDATES, (ranked.c.same == 1) | (ranked.c.hits > 0)
    )
    return list(db.session.scalars(select(Risk).where(Risk.pk.in_(pks))))


def _holds(text, word: str):
    """True when text holds word: a plain substring search (strpos, instr), no pattern."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.strpos(text, word) > 0
    return func.instr(text, word) > 0


def _score(words: dict[str, str], risk: Risk) -> tuple[float, list[str]]:
    """rapidfuzz's token set ratio of the report's words against the entry's activity and
    hazard (both by key, stop words left out), and the report's words the entry shares."""
    theirs = meaningful_words(f"{risk.activity} {risk.hazard}")
    common = [surface for key, surface in words.items() if key in theirs]
    return fuzz.token_set_ratio(" ".join(words), " ".join(theirs)), common


def _reason(same: bool, category: str | None, common: list[str]) -> str:
    """Why an entry is suggested, as the desk shows it."""
    shared = ", ".join(common[:6])
    if not same:
        return f"Words in common: {shared}"
    label = CATEGORY_LABELS.get(category, category).lower()
    return f"Same category: {label}" + (f"; words in common: {shared}" if shared else "")
