"""The register as a spreadsheet: CSV out (GET /api/risks/export.csv) and back in
(POST /api/risks/import), the way EHS teams keep registers today.

The columns, a header row first, in this order:

    ref                  R-14 (O-14 for an opportunity); empty for a new entry
    site                 the site's code (NORTH)
    kind                 risk or opportunity (empty: risk)
    activity             the task or place
    hazard               the hazard of a risk, or the benefit of an opportunity
    who                  who is at risk (or gains)
    category             the triage category of the reports it concerns (may be empty)
    severity             the inherent rating, 1 to 5 ...
    likelihood           ... and 1 to 5
    controls             one cell: "text [level]; text [level]", each level one of the
                         hierarchy of controls: elimination, substitution, engineering,
                         administrative, ppe (may be empty)
    residual_severity    the rating with the controls in place, 1 to 5 ...
    residual_likelihood  ... and 1 to 5
    owner                the owner's email (an active member who works at the site)
    review_on            the next review, YYYY-MM-DD

After them the export writes read-only columns, which an import ignores: inherent_score,
inherent_band, residual_score, residual_band, status, review_due (yes or no).

The export is UTF-8 with a byte order mark, CRLF line ends: Excel opens a CSV without the mark
in the computer's old code page (so "Gerät" or "–" come out garbled), and LibreOffice, Numbers
and Google Sheets read the mark and drop it. A cell starting with =, +, -, @, a tab or a
carriage return could run as a formula when opened (CSV injection): it gets a leading
apostrophe, which the import takes off again.

An import is all or nothing: every row is checked first (rows counted as a spreadsheet shows
them, the header being row 1), and one error anywhere writes nothing. A row with an empty ref
is a new entry, numbered on from the register's last; a row with the ref of an entry is that
entry's review when its ratings, controls, owner or review day differ, else unchanged (so
export, edit, import updates the register and never duplicates it). The text of an entry
(site, kind, activity, hazard, who, category) is kept as first written: a row that changes it
is refused. New rows get ids made from the file and their row, so the same file sent twice
(a retry) makes its new entries once; a new row with the site, kind, activity, hazard and who
of an active entry (a sheet imported before, its refs still empty) is refused, naming the
entry's ref.
"""

import csv
import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import marshmallow as ma
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from server.auth.access import Actor
from server.auth.models import Membership, User, membership_site
from server.dbtypes import utcnow
from server.events.models import Event
from server.events.services import record_events
from server.exceptions import InvalidInput, NotAllowed, TooLarge
from server.extensions import db
from server.nonconformities.models import CONTROLS
from server.orgs.models import Site
from server.orgs.zones import local_day
from server.records.identity import fingerprint
from server.risks.models import ACTIVE, Risk, RiskReview
from server.risks.records import DESK_ROLES, RISK_TYPE, rating, reference, risk_scope
from server.risks.schemas import RiskIn
from server.risks.services import RATED, next_number

COLUMNS = (
    "ref",
    "site",
    "kind",
    "activity",
    "hazard",
    "who",
    "category",
    "severity",
    "likelihood",
    "controls",
    "residual_severity",
    "residual_likelihood",
    "owner",
    "review_on",
)
READ_ONLY = (
    "inherent_score",
    "inherent_band",
    "residual_score",
    "residual_band",
    "status",
    "review_due",
)
# Columns a file may leave out (an empty cell means the same).
OPTIONAL = frozenset({"ref", "kind", "category", "controls", *READ_ONLY})
RATINGS = ("severity", "likelihood", "residual_severity", "residual_likelihood")
# What an entry keeps as first written: a review changes ratings, controls, owner and day only.
FIXED = ("site", "kind", "activity", "hazard", "who", "category")
MAX_ROWS = 10_000
MAX_BYTES = 5 * 2**20
# Row errors listed in one answer; the detail says how many rows there were in all.
MAX_LISTED = 500
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REVIEW_NOTE = "Reviewed by a spreadsheet import."
DAY_MESSAGE = (
    "Write the day as YYYY-MM-DD (a spreadsheet program may rewrite days in its own way when "
    "saving: format the column as text first)."
)
# Where the schema names a column otherwise.
_SCHEMA_COLUMNS = {"site_id": "site", "owner_id": "owner", "id": "ref"}
_REF = re.compile(r"([RO])\s*-?\s*([0-9]{1,9})", re.IGNORECASE)
_CONTROL = re.compile(
    r"\s*(.*?)\s*\[\s*(" + "|".join(CONTROLS) + r")\s*\]\s*(?:;|$)", re.IGNORECASE | re.DOTALL
)
# One schema for every row: made once, it loads row after row (a new one per row costs more
# than the row's checks).
_ROW_SCHEMA = RiskIn()
_IDS = uuid.UUID("5b0c4b64-9b51-4c43-9d6c-6b1f6f3c8e14")


# --- cells ---------------------------------------------------------------------------------


def _needs_quote(text: str) -> bool:
    """True when a spreadsheet could take the cell for a formula (or it is one escaped)."""
    while text.startswith("'"):
        text = text[1:]
    return text.startswith(FORMULA_STARTS)


def safe_cell(value) -> str:
    """A value as a cell no spreadsheet runs: a leading apostrophe before a formula's start."""
    text = "" if value is None else str(value)
    return "'" + text if _needs_quote(text) else text


def read_cell(cell: str) -> str:
    """A cell as the export meant it: the apostrophe safe_cell added taken off."""
    return cell[1:] if cell.startswith("'") and _needs_quote(cell[1:]) else cell


def controls_cell(controls: list[dict]) -> str:
    """The controls as one cell: "Guard rail [engineering]; Banksman [administrative]"."""
    return "; ".join(f"{control['text']} [{control['control']}]" for control in controls)


def parse_controls(cell: str) -> list[dict]:
    """The controls of a cell written as controls_cell writes them; ValueError says what is off."""
    controls, position, cell = [], 0, cell.strip()
    while position < len(cell):
        found = _CONTROL.match(cell, position)
        if found is None or found.end() == position:
            raise ValueError(
                f'Write each control as "text [level]", separated by ";", the level one of '
                f"{', '.join(CONTROLS)}: {cell[position:][:60]!r} is not."
            )
        text, level = found.group(1), found.group(2).lower()
        if not text:
            raise ValueError(f"Control {len(controls) + 1} has no text before its [{level}].")
        controls.append({"text": text, "control": level})
        position = found.end()
    return controls


def _line(text: str) -> str:
    """One line of text, as the register keeps it: single spaces, none at the ends."""
    return " ".join(text.split())


# --- export --------------------------------------------------------------------------------


class _Echo:
    """A file whose write gives back what it was given: csv.writer's rows as strings."""

    def write(self, text: str) -> str:
        return text


def keeps_register(actor: Actor) -> None:
    """NotAllowed unless the actor keeps the register (officers and admins)."""
    if actor.role not in DESK_ROLES:
        raise NotAllowed(f"This needs the role {' or '.join(DESK_ROLES)}.")


def export_query(actor: Actor, site_id: int | None, kind: str | None, status: str):
    """The entries an export writes, with their site and owner, in register order."""
    stmt = (
        risk_scope(actor, select(Risk, Site.code, Site.time_zone, User.email))
        .join(Site, Site.id == Risk.site_id)
        .outerjoin(User, User.id == Risk.owner_id)
        .where(Risk.status == status)
        .order_by(Risk.number)
    )
    if site_id is not None:
        stmt = stmt.where(Risk.site_id == site_id)
    if kind is not None:
        stmt = stmt.where(Risk.kind == kind)
    return stmt


def export_lines(
    actor: Actor, site_id: int | None = None, kind: str | None = None, status: str = ACTIVE
) -> Iterator[str]:
    """The register as CSV text, the mark and the header first, then an entry a line.

    The lines are read as they are sent, after the view has returned and outside its context:
    they read on a session of their own, and never hold a register of thousands whole."""
    keeps_register(actor)
    return _lines(db.engine, export_query(actor, site_id, kind, status))


def _lines(engine: Engine, stmt) -> Iterator[str]:
    writer, now, today = csv.writer(_Echo()), utcnow(), {}
    yield BOM + writer.writerow(COLUMNS + READ_ONLY)
    with Session(engine) as session:
        for risk, code, zone, email in session.execute(stmt.execution_options(yield_per=500)):
            if zone not in today:
                today[zone] = local_day(now, zone)
            cells = _cells(risk, code, email, today[zone])
            yield writer.writerow([safe_cell(cell) for cell in cells])


def export_name(actor: Actor, site_id: int | None) -> str:
    """The export's file name: risk-register-NORTH-2026-12-01.csv (the site's code, when one
    of the actor's sites is asked for)."""
    code = None
    if site_id is not None:
        code = db.session.scalar(actor.scope(select(Site.code), Site).where(Site.id == site_id))
    safe = re.sub(r"[^A-Za-z0-9_]+", "-", code or "").strip("-")
    return f"risk-register-{safe + '-' if safe else ''}{utcnow().date().isoformat()}.csv"


def _cells(risk: Risk, code: str, email: str | None, today) -> list:
    """One entry's cells, in the order of COLUMNS then READ_ONLY."""
    inherent = rating(risk.severity, risk.likelihood)
    residual = rating(risk.residual_severity, risk.residual_likelihood)
    due = risk.review_reason is not None or risk.review_on <= today
    return [
        reference(risk),
        code,
        risk.kind,
        risk.activity,
        risk.hazard,
        risk.who,
        risk.category,
        risk.severity,
        risk.likelihood,
        controls_cell(risk.controls or []),
        risk.residual_severity,
        risk.residual_likelihood,
        email,
        risk.review_on.isoformat(),
        inherent["score"],
        inherent["band"],
        residual["score"],
        residual["band"],
        risk.status,
        "yes" if due else "no",
    ]


# --- reading a file ------------------------------------------------------------------------


def _file_error(message: str) -> InvalidInput:
    return InvalidInput(f"The file cannot be read: {message}", errors={"file": [message]})


def decode(body: bytes) -> str:
    """The body as text: UTF-8 (a leading byte order mark dropped), no NUL."""
    if len(body) > MAX_BYTES:
        raise TooLarge(f"A file of at most {MAX_BYTES // 2**20} MB can be imported; split it.")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise _file_error(
            f"It is not UTF-8 text (line {line} holds the byte 0x{body[error.start]:02X}): "
            'save it as "CSV UTF-8".'
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _file_error(f"Line {line} holds a NUL character: is it a CSV file?")
    return text


def _column_name(title: str) -> str:
    """A header cell as a column name: "Residual severity" is residual_severity."""
    return "_".join(read_cell(title).strip().lower().replace("-", " ").split())


def _columns(header: list[str]) -> list[str]:
    """The column name of each header cell; InvalidInput names what is wrong with the header."""
    names = [_column_name(title) for title in header]
    known = set(COLUMNS) | set(READ_ONLY)
    problems = [
        f"Unknown column {title!r}."
        for title, name in zip(header, names, strict=True)
        if name and name not in known
    ]
    problems += [
        f"Column {name} appears twice."
        for name in sorted(set(names))
        if name and names.count(name) > 1
    ]
    problems += [
        f"Column {name} is missing."
        for name in COLUMNS
        if name not in OPTIONAL and name not in names
    ]
    if problems:
        problems.append(f"The columns are: {', '.join(COLUMNS + READ_ONLY)}.")
        raise InvalidInput("The header row is not the register's.", errors={"header": problems})
    return names


def records(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header's columns and each row that is not blank: (its row number, {column: cell})."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise _file_error("It is empty: the first row names the columns.")
        names = _columns(header)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if len(rows) == MAX_ROWS:
                raise TooLarge(f"At most {MAX_ROWS:,} rows can be imported at once; split it.")
            if any(cell.strip() for cell in cells):
                rows.append((number, _row(names, cells)))
    except csv.Error as error:
        raise _file_error(f"Line {reader.line_num}: {error}.") from None
    return names, rows


def _row(names: list[str], cells: list[str]) -> dict:
    """{column: cell} of one row; cells past the header's go under "" (refused when filled)."""
    row = {name: read_cell(cell) for name, cell in zip(names, cells, strict=False) if name}
    extra = [cell for cell in cells[len(names) :] if cell.strip()]
    if extra:
        row[""] = extra
    return row


# --- what the organization holds -----------------------------------------------------------


@dataclass
class Lookups:
    """What the rows of one file may name, each read once for the whole file, and what the
    rows checked so far hold."""

    organization_id: int
    file_key: str  # the organization and the file's SHA-256: new rows' ids are made from it
    sites: dict[str, tuple[int, str]]  # code -> (id, code)
    members: dict[str, int]  # email -> user id
    limits: dict[int, frozenset[int]]  # user id -> the sites they work at (empty: all)
    entries: dict[int, Risk]  # number -> entry
    codes: dict[int, str]  # site id -> code
    refs_seen: dict[int, int] = field(default_factory=dict)  # entry number -> row
    # Per site, the active entries by what tells them apart: [(ref, id)].
    registers: dict[int, dict[tuple, list]] = field(default_factory=dict)

    def site(self, code: str) -> tuple[int, str] | None:
        """The actor's site with this code (case aside when that leaves one)."""
        return self.sites.get(code) or self.sites.get(code.casefold())

    def register(self, site_id: int) -> dict[tuple, list]:
        """The site's active entries by identity (read when a new row first names the site)."""
        if site_id not in self.registers:
            rows = db.session.execute(
                select(Risk.kind, Risk.number, Risk.id, Risk.activity, Risk.hazard, Risk.who)
                .where(
                    Risk.organization_id == self.organization_id,
                    Risk.site_id == site_id,
                    Risk.status == ACTIVE,
                )
                .order_by(Risk.number)
            )
            register: dict[tuple, list] = {}
            for kind, number, entry_id, *texts in rows:
                twin = identity(site_id, kind, *texts)
                register.setdefault(twin, []).append((ref_of(kind, number), entry_id))
            self.registers[site_id] = register
        return self.registers[site_id]


def ref_of(kind: str, number: int) -> str:
    """An entry's reference from its kind and number (records.reference of a row not loaded)."""
    return reference(SimpleNamespace(kind=kind, number=number))


def identity(site_id: int, kind: str, activity: str, hazard: str, who: str) -> tuple:
    """What tells a site's entries apart: kind, activity, hazard and who (case and spaces
    aside)."""
    return (site_id, kind, *(_line(text).casefold() for text in (activity, hazard, who)))


def lookups(actor: Actor, numbers: set[int], body: bytes) -> Lookups:
    """What the rows of a file may name, within the actor's organization and sites."""
    sites = db.session.execute(
        actor.scope(select(Site.id, Site.code), Site).order_by(Site.id)
    ).all()
    by_code = {code: (site_id, code) for site_id, code in sites}
    folded: dict[str, list] = {}
    for site_id, code in sites:
        folded.setdefault(code.casefold(), []).append((site_id, code))
    by_code.update({key: found[0] for key, found in folded.items() if len(found) == 1})
    emails, limits = _members(actor.organization_id)
    codes = {site_id: code for site_id, code in sites}
    key = f"{actor.organization_id}:{hashlib.sha256(body).hexdigest()}"
    entries = _entries(actor, numbers)
    return Lookups(actor.organization_id, key, by_code, emails, limits, entries, codes)


def _members(organization_id: int) -> tuple[dict[str, int], dict[int, frozenset[int]]]:
    """Active members of the organization: user id by email, and the sites each is limited to
    (none: every site)."""
    people = db.session.execute(
        select(Membership.id, Membership.user_id, User.email)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organization_id == organization_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
    ).all()
    limits: dict[int, set[int]] = {}
    for membership_id, site_id in db.session.execute(
        select(membership_site.c.membership_id, membership_site.c.site_id)
        .join(Membership, Membership.id == membership_site.c.membership_id)
        .where(Membership.organization_id == organization_id)
    ):
        limits.setdefault(membership_id, set()).add(site_id)
    emails = {email.lower(): user_id for _, user_id, email in people}
    sites = {user_id: frozenset(limits.get(pk, ())) for pk, user_id, _ in people}
    return emails, sites


def _entries(actor: Actor, numbers: set[int]) -> dict[int, Risk]:
    """The actor's entries with these numbers."""
    found, wanted = {}, sorted(numbers)
    for first in range(0, len(wanted), 1000):
        chunk = wanted[first : first + 1000]
        stmt = risk_scope(actor, select(Risk)).where(Risk.number.in_(chunk))
        found.update({risk.number: risk for risk in db.session.scalars(stmt)})
    return found


# --- checking the rows ---------------------------------------------------------------------


@dataclass
class Planned:
    """One checked row: RiskIn's load, and the entry its ref names (None: a new entry)."""

    row: int
    data: dict
    entry: Risk | None


class RowErrors(dict):
    """{column: [messages]} of one row; the first message for a column wins its place."""

    def add(self, column: str, message: str) -> None:
        self.setdefault(column, []).append(message)


def _number_or_text(cell: str):
    """A rating as the schema takes it: an integer when the cell holds only digits."""
    text = cell.strip()
    return int(text) if re.fullmatch(r"[0-9]{1,3}", text) else text


def _find_entry(row: dict, found: Lookups, errors: RowErrors, number: int):
    """The entry the row's ref names (None for an empty ref), or an error under ref."""
    ref = row.get("ref", "").strip()
    if not ref:
        return None
    match = _REF.fullmatch(ref)
    entry = found.entries.get(int(match.group(2))) if match else None
    if match is None:
        errors.add("ref", "Write a ref as R-14 (O-14 for an opportunity), or leave it empty.")
    elif entry is None or match.group(1).upper() != reference(entry)[0]:
        errors.add("ref", f"No entry {ref.upper()} in the registers of your sites.")
    elif entry.number in found.refs_seen:
        errors.add("ref", f"Row {found.refs_seen[entry.number]} is {reference(entry)} already.")
    else:
        found.refs_seen[entry.number] = number
        return entry
    return None


def _body(row: dict, entry: Risk | None, found: Lookups, errors: RowErrors) -> dict:
    """The row as RiskIn takes it, the site and owner looked up; lookups failing go to errors."""
    body = {name: row[name] for name in ("activity", "hazard", "who", "review_on") if row.get(name)}
    body.update({name: _number_or_text(row[name]) for name in RATINGS if row.get(name)})
    body["kind"] = row.get("kind", "").strip().lower() or (entry.kind if entry else "risk")
    body["category"] = row.get("category") or None
    try:
        body["controls"] = parse_controls(row.get("controls", ""))
    except ValueError as error:
        errors.add("controls", str(error))
    code = row.get("site", "").strip()
    site = found.site(code) if code else None
    if site:
        body["site_id"] = site[0]
    elif code:
        errors.add("site", f"No site with the code {code!r} among your sites.")
    email = row.get("owner", "").strip().lower()
    if email in found.members:
        body["owner_id"] = found.members[email]
    elif email:
        errors.add("owner", "No active member of your organization has this email.")
    return body


def _schema_messages(messages: dict) -> dict[str, list[str]]:
    """RiskIn's messages by column; a control's are "Control 2: text: ..." under controls."""
    columns: dict[str, list[str]] = {}
    for name, found in messages.items():
        column = _SCHEMA_COLUMNS.get(name, name)
        if isinstance(found, dict):
            found = [
                f"Control {index + 1}: {part}: {message}"
                for index, parts in sorted(found.items(), key=lambda item: str(item[0]))
                for part, texts in (parts.items() if isinstance(parts, dict) else [("", parts)])
                for message in texts
            ]
        if column == "review_on":
            found = [m.replace("Not a valid date.", DAY_MESSAGE) for m in found]
        columns[column] = list(found)
    return columns


def _load(body: dict, errors: RowErrors) -> dict | None:
    """RiskIn's load of the body, its messages added to errors where a lookup has none."""
    try:
        return _ROW_SCHEMA.load(body)
    except ma.ValidationError as error:
        for column, messages in _schema_messages(error.messages).items():
            if column not in errors:
                errors[column] = messages
    return None


def _check_fixed(data: dict, entry: Risk, found: Lookups, errors: RowErrors) -> None:
    """Refuse a change to what an entry keeps as first written."""
    now = {
        "site": found.codes.get(data["site_id"]),
        "kind": data["kind"],
        "activity": _line(data["activity"]),
        # Spaces and line ends aside: a spreadsheet program may save a cell's lines otherwise.
        "hazard": _line(data["hazard"]),
        "who": _line(data["who"]),
        "category": _line(data.get("category") or "") or None,
    }
    kept = {name: getattr(entry, name) for name in FIXED if name != "site"}
    kept["site"], kept["hazard"] = found.codes.get(entry.site_id), _line(entry.hazard)
    for name in FIXED:
        if now[name] != kept[name]:
            errors.add(
                name,
                f"{reference(entry)} keeps its {name} as first written; leave the cell as "
                "exported, or add a new entry (empty ref) instead.",
            )


def _check_owner(data: dict, found: Lookups, errors: RowErrors) -> None:
    """The owner must be allowed at the row's site (a member limited to other sites is not)."""
    limits = found.limits[data["owner_id"]]
    if limits and data["site_id"] not in limits:
        errors.add("owner", f"Does not work at site {found.codes[data['site_id']]}.")


def _check_new(data: dict, found: Lookups, errors: RowErrors) -> None:
    """Refuse a new row that is an active entry already (a sheet imported before, its refs
    still empty); the same file sent again is no such row: its entries have the rows' ids."""
    twin = identity(data["site_id"], data["kind"], data["activity"], data["hazard"], data["who"])
    entries = found.register(data["site_id"]).get(twin, [])
    if entries and data["id"] not in {entry_id for _, entry_id in entries}:
        ref = entries[0][0]
        errors.add(
            "ref",
            f"{ref} has the same site, kind, activity, hazard and who: put {ref} in ref to "
            "review it, or tell the two apart.",
        )


def check_row(number: int, row: dict, found: Lookups) -> Planned:
    """The row checked and loaded; RowErrors (raised) says what is wrong, column by column."""
    errors = RowErrors()
    if "" in row:
        errors.add("cells", f"Holds {len(row[''])} filled cells past the header's columns.")
    entry = _find_entry(row, found, errors, number)
    body = _body(row, entry, found, errors)
    body["id"] = str(entry.id if entry else uuid.uuid5(_IDS, f"{found.file_key}:{number}"))
    data = _load(body, errors)
    if data is not None and not errors:
        if entry is not None:
            _check_fixed(data, entry, found, errors)
        else:
            _check_new(data, found, errors)
        _check_owner(data, found, errors)
    if errors:
        raise InvalidInput(errors=dict(errors))
    return Planned(number, data, entry)


def check_file(actor: Actor, body: bytes) -> list[Planned]:
    """Every row of the file checked; InvalidInput lists the rows with errors, by column."""
    _, rows = records(decode(body))
    numbers = {
        int(m.group(2)) for _, row in rows if (m := _REF.fullmatch(row.get("ref", "").strip()))
    }
    found = lookups(actor, numbers, body)
    planned, errors = [], {}
    for number, row in rows:
        try:
            planned.append(check_row(number, row, found))
        except InvalidInput as error:
            errors[f"row {number}"] = error.errors
    if errors:
        listed = dict(list(errors.items())[:MAX_LISTED])
        shown = "" if len(listed) == len(errors) else f" (the first {MAX_LISTED} are listed)"
        raise InvalidInput(
            f"{len(errors)} of {len(rows)} rows have errors{shown}; nothing was imported.",
            errors=listed,
        )
    return planned


# --- writing -------------------------------------------------------------------------------
#
# The rows are written in a few statements a thousand rows (record_events and bulk inserts),
# not an entry at a time: services.add_risk and review_risk flush each entry and its event on
# its own, about 4 ms a row, so 5,000 rows would take 20 s. The rows written are the ones those
# services write (tests/risks/test_csv.py compares them); record_events tells no listener,
# and none listens to the register's own events.


def _tidy(data: dict) -> dict:
    """The rated values of a row as the register keeps them (the controls' text on one line)."""
    values = {name: data[name] for name in RATED if name != "controls"}
    values["controls"] = [
        {"text": _line(control["text"]), "control": control["control"]}
        for control in data.get("controls") or []
    ]
    return values


def _rating_data(values: dict) -> dict:
    """What the event log keeps of a rating (as services records it)."""
    return {
        "inherent": [values["severity"], values["likelihood"]],
        "residual": [values["residual_severity"], values["residual_likelihood"]],
        "controls": [control["control"] for control in values["controls"]],
        "review_on": values["review_on"].isoformat(),
    }


def _differs(entry: Risk, data: dict) -> bool:
    """True when the row rates, controls, owns or dates the entry otherwise than it stands."""
    values = _tidy(data)
    return entry.owner_id != data["owner_id"] or any(
        getattr(entry, name) != value for name, value in values.items()
    )


def _logged(actor: Actor, changes: list[tuple]) -> tuple[list[int], object]:
    """Events of (entry id, action, data) in one statement: their ids, and when they were."""
    ids = record_events(actor.organization_id, actor.user_id, RISK_TYPE, changes)
    at = db.session.scalar(select(Event.created_at).where(Event.id == ids[0])) if ids else None
    return ids, at


def _new_entry(actor: Actor, data: dict, number: int, now) -> dict:
    """The row of a new entry, as services.add_risk makes it."""
    return {
        "id": data["id"],
        "organization_id": actor.organization_id,
        "site_id": data["site_id"],
        "number": number,
        "kind": data.get("kind") or "risk",
        "activity": _line(data["activity"]),
        "hazard": data["hazard"].strip(),
        "who": _line(data["who"]),
        "category": _line(data.get("category") or "") or None,
        "owner_id": data["owner_id"],
        "status": ACTIVE,
        "created_by_id": actor.user_id,
        "created_at": now,
        "content_hash": fingerprint(data),
        **_tidy(data),
    }


def enter(actor: Actor, planned: list[Planned], number: int) -> None:
    """The new rows' entries, numbered on from number, each with its first history row and
    its "created" event; flushed, not committed."""
    now = utcnow()
    rows = [_new_entry(actor, item.data, number + n, now) for n, item in enumerate(planned)]
    changes = [
        (row["id"], "created", {"ref": ref_of(row["kind"], row["number"]), **_rating_data(row)})
        for row in rows
    ]
    ids, at = _logged(actor, changes)
    for row, event_id in zip(rows, ids, strict=True):
        row.update(change_id=event_id, changed_at=at)
    if not rows:
        return
    # psycopg sends one statement per run of rows alike in which columns are NULL: rows with
    # and without a category, each kept together, go in a few statements instead of hundreds.
    rows.sort(key=lambda row: row["category"] is None)
    pks = db.session.scalars(
        insert(Risk).returning(Risk.pk, sort_by_parameter_order=True), rows
    ).all()
    history = [
        {"risk_pk": pk, "reviewed_by_id": actor.user_id, "reviewed_at": now}
        | {name: row[name] for name in RATED}
        for pk, row in zip(pks, rows, strict=True)
    ]
    db.session.execute(insert(RiskReview), history)


def review(actor: Actor, planned: list[Planned]) -> None:
    """Each row as a review of its entry, as services.review_risk records one (a new history
    row with the pending reason, which it clears); flushed, not committed."""
    changes = [(item.entry.id, "reviewed", _review_data(item)) for item in planned]
    ids, at = _logged(actor, changes)
    now = utcnow()
    for item, event_id in zip(planned, ids, strict=True):
        entry, values = item.entry, _tidy(item.data)
        db.session.add(
            RiskReview(
                risk_pk=entry.pk,
                reviewed_by_id=actor.user_id,
                reviewed_at=now,
                reason=entry.review_reason,
                notes=REVIEW_NOTE,
                **values,
            )
        )
        for name, value in values.items():
            setattr(entry, name, value)
        entry.owner_id = item.data["owner_id"]
        entry.review_reason = entry.review_note = entry.review_requested_at = None
        entry.change_id, entry.changed_at = event_id, at
    db.session.flush()


def _review_data(item: Planned) -> dict:
    """What the event log keeps of a review (as services records it), and that it came from
    a spreadsheet."""
    return {
        "reason": item.entry.review_reason,
        "notes": REVIEW_NOTE,
        "status": item.entry.status,
        "owner_id": item.data["owner_id"],
        **_rating_data(_tidy(item.data)),
        "source": "import",
    }


def _lock_entries(planned: list[Planned]) -> None:
    """Take the write lock of every entry the file names, and read them again under it."""
    pks = sorted(item.entry.pk for item in planned if item.entry is not None)
    for first in range(0, len(pks), 1000):
        chunk = pks[first : first + 1000]
        db.session.execute(
            update(Risk)
            .where(Risk.pk.in_(chunk))
            .values(status=Risk.status)
            .execution_options(synchronize_session=False)
        )
        db.session.scalars(
            select(Risk).where(Risk.pk.in_(chunk)).execution_options(populate_existing=True)
        ).all()


def _known_ids(organization_id: int, planned: list[Planned]) -> set[uuid.UUID]:
    """The ids of new rows already entered: the same file sent before."""
    wanted, known = [item.data["id"] for item in planned if item.entry is None], set()
    for first in range(0, len(wanted), 1000):
        known.update(
            db.session.scalars(
                select(Risk.id).where(
                    Risk.organization_id == organization_id,
                    Risk.id.in_(wanted[first : first + 1000]),
                )
            )
        )
    return known


def import_register(actor: Actor, body: bytes) -> dict:
    """Import a CSV file of the register, all or nothing: {created, reviewed, unchanged}.

    Every row is checked before anything is written; then, under the organization's numbering
    lock and the named entries' locks, one transaction adds the new rows and reviews the
    changed ones."""
    keeps_register(actor)
    planned = check_file(actor, body)
    number = next_number(actor.organization_id)
    _lock_entries(planned)
    known = _known_ids(actor.organization_id, planned)
    new = [item for item in planned if item.entry is None and item.data["id"] not in known]
    changed = [item for item in planned if item.entry and _differs(item.entry, item.data)]
    enter(actor, new, number)
    review(actor, changed)
    db.session.commit()
    return {
        "created": len(new),
        "reviewed": len(changed),
        "unchanged": len(planned) - len(new) - len(changed),
    }
