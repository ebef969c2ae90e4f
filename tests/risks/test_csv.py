"""The register as a spreadsheet: export, import (all or nothing, errors by row and column),
the round trip, formula injection, what spreadsheet programs write, and who may do it."""

import csv
import io
import itertools
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from server.auth.models import Membership
from server.events.models import Event
from server.extensions import db
from server.risks import spreadsheet
from server.risks.models import Risk, RiskReview
from server.risks.services import request_review
from tests.factories import make_organization, make_site, make_user
from tests.risks.conftest import make_risk

HEADER = list(spreadsheet.COLUMNS)
READ_ONLY = list(spreadsheet.READ_ONLY)
NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()
_bays = itertools.count(100)


def csv_text(rows: list[list], header: list[str] = HEADER, newline: str = "\r\n") -> str:
    """A CSV file as a spreadsheet program writes one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def good_row(site, owner, /, **cells) -> list:
    """A valid new-entry row (an activity of its own), cells overriding columns by name."""
    row = {
        "ref": "",
        "site": site.code,
        "kind": "risk",
        "activity": f"Loading lorries at bay {next(_bays)}",
        "hazard": "Falling from the loading edge",
        "who": "Drivers and loaders",
        "category": "work_at_height",
        "severity": "4",
        "likelihood": "3",
        "controls": "Guard rail along the edge [engineering]; Banksman [administrative]",
        "residual_severity": "4",
        "residual_likelihood": "1",
        "owner": owner.email,
        "review_on": NEXT_YEAR,
        **cells,
    }
    return [row[name] for name in HEADER]


def post_csv(client, text, content_type="text/csv; charset=utf-8"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post("/api/risks/import", data=data, content_type=content_type)


def export(client, **params) -> tuple[list[str], list[dict]]:
    """GET the export (200): its header, and its rows as {column: cell}."""
    response = client.get("/api/risks/export.csv", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    text = response.get_data().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def export_text(client, **params) -> str:
    response = client.get("/api/risks/export.csv", query_string=params)
    assert response.status_code == 200
    return response.get_data().decode("utf-8")


def counts() -> tuple[int, int, int]:
    """Entries, history rows and risk events in the database."""
    return (
        db.session.scalar(select(func.count()).select_from(Risk)),
        db.session.scalar(select(func.count()).select_from(RiskReview)),
        db.session.scalar(
            select(func.count()).select_from(Event).where(Event.entity_type == "risk")
        ),
    )


def register_of(organization) -> list[Risk]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Risk).where(Risk.organization_id == organization.id).order_by(Risk.number)
        )
    )


# --- export --------------------------------------------------------------------------------


def test_export_writes_the_columns_in_register_order_with_a_bom_and_crlf(plant, register):
    second = make_risk(plant.south, plant.officer, number=2, activity="Night shift at the yard")
    first = make_risk(
        plant.north,
        plant.officer,
        number=1,
        kind="opportunity",
        hazard="Daylight sensors save power",
        category="energy",
        review_on=date.today() - timedelta(days=1),
    )
    register.as_(plant.officer)
    response = register.client.get("/api/risks/export.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    today = date.today().isoformat()
    disposition = f'attachment; filename="risk-register-{today}.csv"'
    assert response.headers["Content-Disposition"] == disposition
    named = register.get("/api/risks/export.csv", site_id=plant.north.id)
    assert f'filename="risk-register-NORTH-{today}.csv"' in named.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    assert body.count(b"\r\n") == 3 and b"\n" not in body.replace(b"\r\n", b"")
    header, rows = export(register.client)
    assert header == HEADER + READ_ONLY
    assert [row["ref"] for row in rows] == ["O-1", f"R-{second.number}"]
    assert rows[0] == {
        "ref": "O-1",
        "site": "NORTH",
        "kind": "opportunity",
        "activity": first.activity,
        "hazard": "Daylight sensors save power",
        "who": first.who,
        "category": "energy",
        "severity": "4",
        "likelihood": "3",
        "controls": "Guard rail along the loading edge [engineering]; "
        "Banksman for every reversing lorry [administrative]",
        "residual_severity": "4",
        "residual_likelihood": "1",
        "owner": plant.officer.email,
        "review_on": first.review_on.isoformat(),
        "inherent_score": "12",
        "inherent_band": "high",
        "residual_score": "4",
        "residual_band": "low",
        "status": "active",
        "review_due": "yes",
    }
    assert rows[1]["site"] == "SOUTH" and rows[1]["review_due"] == "no"


def test_export_filters_by_site_kind_and_status(plant, register):
    north = make_risk(plant.north, plant.officer)
    make_risk(plant.south, plant.officer)
    chance = make_risk(plant.north, plant.officer, kind="opportunity")
    gone = make_risk(plant.north, plant.officer, status="archived")
    register.as_(plant.admin)
    refs = lambda **params: [row["ref"] for row in export(register.client, **params)[1]]  # noqa: E731
    assert refs(site_id=plant.north.id) == [f"R-{north.number}", f"O-{chance.number}"]
    assert refs(site_id=plant.north.id, kind="opportunity") == [f"O-{chance.number}"]
    assert refs(status="archived") == [f"R-{gone.number}"]
    assert register.get("/api/risks/export.csv", kind="hazard").status_code == 422


def test_an_empty_register_exports_its_header(plant, register):
    register.as_(plant.officer)
    assert export(register.client) == (HEADER + READ_ONLY, [])


def test_export_keeps_to_the_officers_sites_and_organization(plant, register):
    make_risk(plant.north, plant.officer, activity="North work")
    make_risk(plant.south, plant.officer, activity="South work")
    make_risk(plant.other_site, plant.other_officer, activity="Elsewhere work")
    register.as_(plant.north_officer)
    assert [row["activity"] for row in export(register.client)[1]] == ["North work"]
    assert export(register.client, site_id=plant.south.id)[1] == []
    register.as_(plant.other_officer)
    assert [row["activity"] for row in export(register.client)[1]] == ["Elsewhere work"]


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_workers_and_auditors_may_not_export_or_import(plant, register, role):
    make_risk(plant.north, plant.officer)
    register.as_(getattr(plant, role))
    assert register.get("/api/risks/export.csv").status_code == 403
    response = post_csv(register.client, csv_text([good_row(plant.north, plant.officer)]))
    assert response.status_code == 403
    assert counts()[0] == 1


def test_signed_out_gets_401(client):
    assert client.get("/api/risks/export.csv").status_code == 401
    assert post_csv(client, csv_text([])).status_code == 401


# --- import: new entries -------------------------------------------------------------------


def test_import_enters_new_rows_numbered_on_from_the_register(plant, register):
    make_risk(plant.north, plant.officer, number=7)
    register.as_(plant.officer)
    rows = [
        good_row(plant.north, plant.officer),
        good_row(
            plant.south,
            plant.admin,
            kind="Opportunity",
            hazard="Solar panels on the roof",
            controls="",
            category="",
        ),
    ]
    response = post_csv(register.client, csv_text(rows))
    assert response.status_code == 200, response.json
    assert response.json == {"created": 2, "reviewed": 0, "unchanged": 0}
    entries = register_of(plant.organization)
    assert [risk.number for risk in entries] == [7, 8, 9]
    new, chance = entries[1], entries[2]
    assert new.site_id == plant.north.id and new.owner_id == plant.officer.id
    assert new.controls == [
        {"text": "Guard rail along the edge", "control": "engineering"},
        {"text": "Banksman", "control": "administrative"},
    ]
    assert new.category == "work_at_height" and new.created_by_id == plant.officer.id
    assert (chance.kind, chance.controls, chance.category) == ("opportunity", [], None)
    assert chance.owner_id == plant.admin.id and chance.review_on.isoformat() == NEXT_YEAR
    assert [len(risk.reviews) for risk in entries[1:]] == [1, 1]
    created = db.session.scalars(
        select(Event.entity_id).where(Event.entity_type == "risk", Event.action == "created")
    ).all()
    assert sorted(created) == sorted([str(new.id), str(chance.id)])


def test_the_same_file_sent_again_makes_its_entries_once(plant, register):
    register.as_(plant.officer)
    text = csv_text([good_row(plant.north, plant.officer), good_row(plant.south, plant.officer)])
    assert post_csv(register.client, text).json == {"created": 2, "reviewed": 0, "unchanged": 0}
    before = counts()
    assert post_csv(register.client, text).json == {"created": 0, "reviewed": 0, "unchanged": 2}
    assert counts() == before


def test_a_sheet_imported_before_with_its_refs_still_empty_is_refused(plant, register):
    register.as_(plant.officer)
    rows = [good_row(plant.north, plant.officer), good_row(plant.south, plant.officer)]
    assert post_csv(register.client, csv_text(rows)).json["created"] == 2
    first = register_of(plant.organization)[0]
    rows[0][HEADER.index("severity")] = "5"
    rows[1][HEADER.index("activity")] += " (the second shift)"
    response = post_csv(register.client, csv_text(rows))
    assert response.status_code == 422
    ref = f"R-{first.number}"
    assert response.json["errors"] == {
        "row 2": {
            "ref": [
                f"{ref} has the same site, kind, activity, hazard and who: put {ref} in ref "
                "to review it, or tell the two apart."
            ]
        }
    }
    rows[0][HEADER.index("activity")] = " " + first.activity.upper() + " "
    assert list(post_csv(register.client, csv_text(rows)).json["errors"]) == ["row 2"]
    rows[0][HEADER.index("ref")] = ref
    rows[0][HEADER.index("activity")] = first.activity
    answer = post_csv(register.client, csv_text(rows)).json
    assert answer == {"created": 1, "reviewed": 1, "unchanged": 0}


def test_a_sheet_may_hold_the_same_new_entry_twice(plant, register):
    register.as_(plant.officer)
    row = good_row(plant.north, plant.officer)
    assert post_csv(register.client, csv_text([row, row])).json["created"] == 2


def test_a_header_only_file_imports_nothing(plant, register):
    register.as_(plant.officer)
    response = post_csv(register.client, csv_text([]))
    assert response.json == {"created": 0, "reviewed": 0, "unchanged": 0}


def test_a_bom_crlf_friendly_header_names_and_blank_rows_are_taken(plant, register):
    register.as_(plant.officer)
    header = [name.replace("_", " ").title() for name in HEADER]
    rows = [good_row(plant.north, plant.officer), [""] * len(HEADER), ["", ""]]
    rows.append(good_row(plant.south, plant.officer) + ["", ""])  # trailing empty cells
    text = "\ufeff" + csv_text(rows, header=header, newline="\r\n")
    response = post_csv(register.client, text)
    assert response.status_code == 200, response.json
    assert response.json["created"] == 2
    lf_only = csv_text([good_row(plant.north, plant.officer, activity="LF")], newline="\n")
    assert post_csv(register.client, lf_only).json["created"] == 1


def test_a_cell_over_several_lines_is_one_row(plant, register):
    register.as_(plant.officer)
    hazard = "Falling from the edge\r\nwhen the rail is down\r\nfor loading"
    rows = [good_row(plant.north, plant.officer, hazard=hazard), ["", "BOGUS"]]
    response = post_csv(register.client, csv_text(rows))
    # The quoted cell spans three lines of the file; the spreadsheet's row 3 is the next one.
    assert list(response.json["errors"]) == ["row 3"]
    response = post_csv(register.client, csv_text(rows[:1]))
    assert response.json["created"] == 1
    assert register_of(plant.organization)[0].hazard == hazard


# --- import: one bad cell writes nothing ---------------------------------------------------


BAD_CELLS = [
    ("site", "NOWHERE", "No site with the code 'NOWHERE' among your sites."),
    ("site", "", "Missing data for required field."),
    ("kind", "hazard", "Must be one of: risk, opportunity."),
    ("activity", "", "Missing data for required field."),
    ("activity", "x" * 201, "Length must be between 1 and 200."),
    ("hazard", "   ", "Must not be blank."),
    ("who", "Drivers\x07", "Contains a control character (U+0007) that cannot be stored."),
    ("category", "c" * 65, "Longer than maximum length 64."),
    ("severity", "6", "Must be greater than or equal to 1 and less than or equal to 5."),
    ("likelihood", "three", "Not a valid integer."),
    ("likelihood", "3.0", "Not a valid integer."),
    ("controls", "Guard rail [bogus]", None),
    ("controls", "Guard rail", None),
    ("controls", "Rail [engineering]; [ppe]", "Control 2 has no text before its [ppe]."),
    ("residual_severity", "0", "Must be greater than or equal to 1 and less than or equal to 5."),
    ("residual_likelihood", "", "Missing data for required field."),
    ("owner", "nobody@example.test", "No active member of your organization has this email."),
    ("review_on", "01/12/2027", spreadsheet.DAY_MESSAGE),
    ("review_on", "2027-02-30", spreadsheet.DAY_MESSAGE),
    ("ref", "R-999", "No entry R-999 in the registers of your sites."),
    ("ref", "X-1", "Write a ref as R-14 (O-14 for an opportunity), or leave it empty."),
]


@pytest.mark.parametrize(("column", "cell", "message"), BAD_CELLS)
def test_one_bad_cell_writes_nothing_and_names_its_row_and_column(
    plant, register, column, cell, message
):
    make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    rows = [good_row(plant.north, plant.officer) for _ in range(4)]
    rows[2] = good_row(plant.north, plant.officer, **{column: cell})
    before = counts()
    response = post_csv(register.client, csv_text(rows))
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert "nothing was imported" in response.json["detail"]
    assert list(response.json["errors"]) == ["row 4"]
    assert list(response.json["errors"]["row 4"]) == [column]
    if message:
        assert response.json["errors"]["row 4"][column] == [message]
    assert counts() == before


def test_every_bad_row_is_listed_with_each_of_its_columns(plant, register):
    register.as_(plant.officer)
    rows = [
        good_row(plant.north, plant.officer, severity="9", owner="x@example.test"),
        good_row(plant.north, plant.officer),
        good_row(plant.north, plant.officer, site="MOON", review_on="soon"),
    ]
    rows[2].append("stray")
    response = post_csv(register.client, csv_text(rows))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert set(errors) == {"row 2", "row 4"}
    assert set(errors["row 2"]) == {"severity", "owner"}
    assert set(errors["row 4"]) == {"site", "review_on", "cells"}
    assert response.json["detail"] == "2 of 3 rows have errors; nothing was imported."
    assert counts() == (0, 0, 0)


def test_an_owner_must_work_at_the_rows_site(plant, register):
    register.as_(plant.officer)
    text = csv_text([good_row(plant.south, plant.north_worker)])
    response = post_csv(register.client, text)
    assert response.json["errors"] == {"row 2": {"owner": ["Does not work at site SOUTH."]}}
    assert (
        post_csv(register.client, csv_text([good_row(plant.north, plant.north_worker)])).json[
            "created"
        ]
        == 1
    )


def test_an_inactive_members_email_is_refused(plant, register):
    plant.worker.active = False
    db.session.commit()
    register.as_(plant.officer)
    response = post_csv(register.client, csv_text([good_row(plant.north, plant.worker)]))
    assert list(response.json["errors"]["row 2"]) == ["owner"]


def test_a_site_limited_officer_imports_to_their_sites_only(plant, register):
    south = make_risk(plant.south, plant.officer)
    register.as_(plant.north_officer)
    rows = [
        good_row(plant.north, plant.officer),
        good_row(plant.south, plant.officer),
        good_row(plant.south, plant.officer, ref=f"R-{south.number}"),
    ]
    errors = post_csv(register.client, csv_text(rows)).json["errors"]
    assert errors == {
        "row 3": {"site": ["No site with the code 'SOUTH' among your sites."]},
        "row 4": {
            "ref": [f"No entry R-{south.number} in the registers of your sites."],
            "site": ["No site with the code 'SOUTH' among your sites."],
        },
    }
    assert counts()[0] == 1


def test_another_organizations_refs_sites_and_people_are_unknown(plant, register):
    theirs = make_risk(plant.other_site, plant.other_officer)
    register.as_(plant.officer)
    row = good_row(plant.other_site, plant.other_officer, ref=f"R-{theirs.number}")
    errors = post_csv(register.client, csv_text([row])).json["errors"]["row 2"]
    assert set(errors) == {"ref", "site", "owner"}


def test_a_ref_twice_in_one_file_is_refused(plant, register):
    entry = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    header, rows = export(register.client)
    lines = [[row[name] for name in header] for row in rows * 2]
    errors = post_csv(register.client, csv_text(lines, header=header)).json["errors"]
    assert errors == {"row 3": {"ref": [f"Row 2 is R-{entry.number} already."]}}


# --- the header and the bytes --------------------------------------------------------------


def test_a_header_that_is_not_the_registers_is_refused(plant, register):
    register.as_(plant.officer)
    header = [name for name in HEADER if name != "owner"] + ["notes", "severity"]
    response = post_csv(register.client, csv_text([], header=header))
    assert response.status_code == 422
    problems = response.json["errors"]["header"]
    assert problems[:3] == [
        "Unknown column 'notes'.",
        "Column severity appears twice.",
        "Column owner is missing.",
    ]
    assert problems[3].startswith("The columns are: ref, site, kind,")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "It is empty: the first row names the columns."),
        ("ref,site\r\nR-1,Caf\u00e9\r\n".encode("latin-1"), "line 2 holds the byte 0xE9"),
        (b"ref,site\r\n\xed\xa0\x80,NORTH\r\n", "line 2 holds the byte 0xED"),
        (b"ref,site\r\nR-1,NO\x00RTH\r\n", "Line 2 holds a NUL character"),
    ],
    ids=["empty", "latin-1", "lone surrogate", "nul"],
)
def test_bytes_that_are_not_utf8_text_are_a_clear_422(plant, register, body, message):
    register.as_(plant.officer)
    response = post_csv(register.client, body)
    assert response.status_code == 422
    assert message in response.json["errors"]["file"][0]
    assert counts() == (0, 0, 0)


def test_more_than_five_megabytes_or_ten_thousand_rows_is_413(plant, register):
    register.as_(plant.officer)
    big = csv_text([]) + "," * (spreadsheet.MAX_BYTES)
    assert post_csv(register.client, big).status_code == 413
    row = ",".join(good_row(plant.north, plant.officer)) + "\r\n"
    many = csv_text([]) + row * (spreadsheet.MAX_ROWS + 1)
    assert len(many.encode()) < spreadsheet.MAX_BYTES
    response = post_csv(register.client, many)
    assert response.status_code == 413
    assert "10,000 rows" in response.json["detail"]
    assert counts() == (0, 0, 0)


def test_the_import_takes_text_csv_only(plant, register):
    register.as_(plant.officer)
    text = csv_text([good_row(plant.north, plant.officer)])
    assert post_csv(register.client, text, content_type="text/plain").status_code == 415
    assert post_csv(register.client, text, content_type="application/json").status_code == 415
    assert post_csv(register.client, text, content_type="text/csv").status_code == 200


# --- formula injection ---------------------------------------------------------------------


def test_formulas_are_quoted_on_export_and_come_back_as_written(plant, register):
    texts = {
        "activity": '=HYPERLINK("http://evil.example","Click")',
        "hazard": "+1+cmd|' /C calc'!A0",
        "who": "-everyone",
        "category": "@SUM(A1)",
    }
    make_risk(
        plant.north,
        plant.officer,
        controls=[{"text": "=1+1 stays text", "control": "ppe"}],
        **texts,
    )
    make_risk(plant.north, plant.officer, activity="'=already quoted", who="'plain apostrophe")
    register.as_(plant.officer)
    _, rows = export(register.client)
    assert rows[0]["activity"] == "'" + texts["activity"]
    assert rows[0]["hazard"] == "'" + texts["hazard"]
    assert rows[0]["who"] == "'-everyone" and rows[0]["category"] == "'@SUM(A1)"
    assert rows[0]["controls"] == "'=1+1 stays text [ppe]"
    assert rows[1]["activity"] == "''=already quoted" and rows[1]["who"] == "'plain apostrophe"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    source = export_text(register.client)
    fresh = _fresh_organization_like(plant)
    register.as_(fresh.officer)
    response = post_csv(register.client, _without_refs(source))
    assert response.status_code == 200, response.json
    copied = register_of(fresh.organization)
    assert {name: getattr(copied[0], name) for name in texts} == texts
    assert copied[0].controls == [{"text": "=1+1 stays text", "control": "ppe"}]
    assert (copied[1].activity, copied[1].who) == ("'=already quoted", "'plain apostrophe")


# --- round trips ---------------------------------------------------------------------------


def _fresh_organization_like(plant):
    """A new organization with the same site codes, whose members are the same people."""
    organization = make_organization()
    make_site(organization, "NORTH", "North again")
    make_site(organization, "SOUTH", "South again")
    for user in (plant.officer, plant.admin, plant.north_worker):
        db.session.add(Membership(user=user, organization=organization, role="officer"))
    db.session.commit()
    return SimpleNamespace(organization=organization, officer=make_user(organization, "officer"))


def export_text_of(register, plant) -> str:
    """The plant's register exported by its officer (the session left signed in as them)."""
    register.as_(plant.officer)
    return export_text(register.client)


def _without_refs(text: str) -> str:
    """The file with its ref column emptied: what copying a register to another one takes."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    return csv_text([["", *row[1:]] for row in rows[1:]], header=rows[0])


def _plant_register(plant) -> None:
    make_risk(plant.north, plant.officer)
    make_risk(
        plant.south,
        plant.admin,
        kind="opportunity",
        activity="Roof renewal",
        hazard="Solar panels, café sign in Gerät \u2013 unicode kept",
        category="energy",
        controls=[],
        severity=3,
        likelihood=2,
        residual_severity=3,
        residual_likelihood=4,
    )
    make_risk(plant.north, plant.north_worker, controls=[{"text": "Gloves", "control": "ppe"}])


def test_a_register_copied_to_another_organization_has_the_same_entries(plant, register):
    _plant_register(plant)
    source = export_text_of(register, plant)
    fresh = _fresh_organization_like(plant)
    register.as_(fresh.officer)
    # The refs name this register's entries: the other organization has none of them.
    refused = post_csv(register.client, source)
    assert refused.status_code == 422
    assert {column for row in refused.json["errors"].values() for column in row} == {"ref"}
    assert register_of(fresh.organization) == []
    response = post_csv(register.client, _without_refs(source))
    assert response.json == {"created": 3, "reviewed": 0, "unchanged": 0}
    copied = export_text(register.client)
    assert copied == source


def test_export_edit_import_reviews_the_changed_entry_only(plant, register):
    _plant_register(plant)
    changed = register_of(plant.organization)[1]
    request_review(changed, "incident", "Lorry hit the rail", None)
    db.session.commit()
    register.as_(plant.officer)
    header, rows = export(register.client)
    rows[1]["severity"] = "5"
    rows[1]["owner"] = plant.officer.email.upper()
    text = csv_text([[row[name] for name in header] for row in rows], header=header)
    response = post_csv(register.client, text)
    assert response.status_code == 200, response.json
    assert response.json == {"created": 0, "reviewed": 1, "unchanged": 2}
    entries = register_of(plant.organization)
    assert len(entries) == 3
    entry = entries[1]
    assert (entry.severity, entry.owner_id, entry.review_reason) == (5, plant.officer.id, None)
    history = entry.reviews
    assert [row.severity for row in history] == [3, 5]
    assert (history[1].reason, history[1].reviewed_by_id) == ("incident", plant.officer.id)
    assert history[1].notes == spreadsheet.REVIEW_NOTE
    reviewed = db.session.scalars(
        select(Event).where(Event.entity_type == "risk", Event.action == "reviewed")
    ).all()
    assert [(e.entity_id, e.data["inherent"], e.data["reason"]) for e in reviewed] == [
        (str(entry.id), [5, 2], "incident")
    ]
    assert entry.change_id == reviewed[0].id
    assert [len(other.reviews) for other in (entries[0], entries[2])] == [1, 1]
    again = post_csv(register.client, text)
    assert again.json == {"created": 0, "reviewed": 0, "unchanged": 3}


def test_a_review_row_may_not_rewrite_the_entrys_text(plant, register):
    entry = make_risk(plant.north, plant.officer)
    register.as_(plant.officer)
    header, rows = export(register.client)
    rows[0].update(activity="Something else", site="SOUTH", kind="opportunity", severity="2")
    text = csv_text([[rows[0][name] for name in header]], header=header)
    errors = post_csv(register.client, text).json["errors"]["row 2"]
    assert set(errors) == {"activity", "site", "kind"}
    assert errors["activity"] == [
        f"R-{entry.number} keeps its activity as first written; leave the cell as exported, "
        "or add a new entry (empty ref) instead."
    ]
    db.session.expire_all()
    assert db.session.get(Risk, entry.pk).severity == 4


def test_a_review_row_whose_lines_a_spreadsheet_saved_otherwise_is_unchanged(plant, register):
    make_risk(plant.north, plant.officer, hazard="Falling from the edge\r\nwhen the rail is down")
    register.as_(plant.officer)
    header, rows = export(register.client)
    rows[0]["hazard"] = "Falling from the edge\nwhen the rail is down "
    text = csv_text([[rows[0][name] for name in header]], header=header)
    assert post_csv(register.client, text).json == {"created": 0, "reviewed": 0, "unchanged": 1}


def test_new_rows_and_reviews_in_one_file(plant, register):
    entry = make_risk(plant.north, plant.officer, number=3)
    register.as_(plant.officer)
    header, rows = export(register.client)
    rows[0]["controls"] = "Fixed barrier [engineering]"
    rows[0]["review_on"] = NEXT_YEAR
    new = dict(zip(HEADER, good_row(plant.south, plant.admin), strict=True))
    text = csv_text([[row.get(name, "") for name in header] for row in (new, rows[0])], header)
    assert post_csv(register.client, text).json == {"created": 1, "reviewed": 1, "unchanged": 0}
    entries = register_of(plant.organization)
    assert [risk.number for risk in entries] == [3, 4]
    assert entries[0].controls == [{"text": "Fixed barrier", "control": "engineering"}]
    assert entries[0].id == entry.id and entries[1].site_id == plant.south.id


# --- the same records as the API's ---------------------------------------------------------


def _columns(risk: Risk) -> dict:
    skip = {"pk", "id", "number", "created_at", "changed_at", "change_id", "content_hash"}
    return {c.key: getattr(risk, c.key) for c in Risk.__table__.columns if c.key not in skip}


def _history(risk: Risk) -> list[tuple]:
    names = ("severity", "likelihood", "controls", "residual_severity", "residual_likelihood")
    return [
        (*(getattr(row, name) for name in names), row.review_on, row.reason, row.reviewed_by_id)
        for row in risk.reviews
    ]


def _event_data(risk: Risk, action: str, leave_out: tuple = ()) -> dict:
    event = db.session.scalars(
        select(Event).where(Event.entity_id == str(risk.id), Event.action == action)
    ).one()
    assert risk.change_id >= event.id
    return {key: value for key, value in event.data.items() if key not in leave_out}


def test_imported_entries_and_reviews_are_what_the_api_records(plant, register):
    register.as_(plant.officer)
    review_on = (date.today() + timedelta(days=90)).isoformat()
    row = dict(zip(HEADER, good_row(plant.north, plant.officer), strict=True))
    row.update(
        activity=" Loading  lorries ",
        controls="  Guard   rail   [engineering]",
        review_on=review_on,
    )
    assert post_csv(register.client, csv_text([[row[name] for name in HEADER]])).json == {
        "created": 1,
        "reviewed": 0,
        "unchanged": 0,
    }
    # The same entry through the API (which, unlike an import, takes a twin of an entry).
    messy = [{"text": "  Guard   rail  ", "control": "engineering"}]
    body = {"category": "work_at_height", "activity": " Loading  lorries ", "controls": messy}
    made = register.new_risk(plant.north, plant.officer, review_on=review_on, **body)
    imported, api = register_of(plant.organization)
    assert str(api.id) == made["id"]
    assert _columns(imported) == _columns(api)
    assert _history(imported) == _history(api)
    created = _event_data(imported, "created", ("ref",))
    assert created == _event_data(api, "created", ("ref",))
    review_on = (date.today() + timedelta(days=180)).isoformat()
    register.review(made["id"], residual_severity=3, review_on=review_on, controls=messy)
    header, rows = export(register.client)
    rows[0].update(residual_severity="3", review_on=review_on)
    text = csv_text([[r[name] for name in header] for r in rows], header=header)
    assert post_csv(register.client, text).json == {"created": 0, "reviewed": 1, "unchanged": 1}
    imported, api = register_of(plant.organization)
    assert _columns(imported) == _columns(api)
    assert _history(imported) == _history(api)
    leave_out = ("notes", "source")
    assert _event_data(imported, "reviewed", leave_out) == _event_data(api, "reviewed", leave_out)
    assert imported.content_hash != api.content_hash
