"""Attendance register import: all or nothing, errors by row and column, idempotent."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from academies.imports import (
    ImportRejected,
    export_file,
    import_attendance,
    read_file,
)
from academies.kind_hours import child_minutes_by_academy_and_municipality
from academies.models import Activity, Attendance, Participant, Series, Session
from tests.factories.activities import recognised_academy, register_rows, to_csv

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Activity, Series, Session, Participant, Attendance))


def _reject(academy, rows):
    with pytest.raises(ImportRejected) as rejected:
        import_attendance(actor=None, academy=academy, rows=rows)
    return rejected.value.result.errors


def test_import_creates_everything_and_a_second_import_changes_nothing(municipalities):
    academy = recognised_academy()
    rows = read_file(to_csv(register_rows(10, 5)), "register.csv")
    result = import_attendance(actor=None, academy=academy, rows=rows)
    assert result.created == {
        "activities": 1,
        "series": 1,
        "sessions": 10,
        "participants": 5,
        "attendance": 50,
    }
    before = _counts()
    again = import_attendance(actor=None, academy=academy, rows=rows)
    assert set(again.created.values()) == {0}
    assert _counts() == before
    # 10 Saturday sessions of 2 h, 5 children aged 7..11 → 100 KIND-uren.
    [line] = child_minutes_by_academy_and_municipality(date(2026, 1, 1), date(2026, 6, 30))
    assert line.child_minutes == 100 * 60


def test_one_bad_row_among_10000_writes_nothing_then_the_fixed_file_imports(municipalities):
    academy = recognised_academy()
    rows = register_rows(200, 50)  # 10,000 rows
    assert len(rows) == 10_000
    rows[7_345] = {**rows[7_345], "session_date": "2026-02-30"}
    errors = _reject(academy, rows)
    assert [(e.row, e.column) for e in errors] == [(7_347, "session_date")]
    assert "bestaat niet" in errors[0].message
    assert _counts() == (0, 0, 0, 0, 0)
    rows[7_345] = {**rows[7_345], "session_date": rows[7_344]["session_date"]}
    result = import_attendance(actor=None, academy=academy, rows=rows)
    assert result.created["attendance"] == 10_000


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"location_nis": "99999"}, "location_nis", "Onbekende NIS-code 99999"),
        ({"residence_postal_code": "1000"}, "residence_postal_code", "niet in Vlaanderen"),
        ({"residence_postal_code": "90"}, "residence_postal_code", "vier cijfers"),
        ({"end_time": "09:00"}, "end_time", "niet na het beginuur"),
        ({"session_date": "2026-13-01"}, "session_date", "bestaat niet"),
        ({"session_date": "07/03/2026"}, "session_date", "JJJJ-MM-DD"),
        ({"start_time": "25:00"}, "start_time", "UU:MM"),
        ({"birth_year": "2099"}, "birth_year", "in de toekomst"),
        ({"birth_year": "12"}, "birth_year", "vier cijfers"),
        ({"participant_ref": ""}, "participant_ref", "verplicht"),
    ],
)
def test_each_kind_of_bad_row_gets_its_own_message(municipalities, change, column, message):
    academy = recognised_academy()
    rows = register_rows(2, 2)
    rows[1] = {**rows[1], **change}
    errors = _reject(academy, rows)
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message
    assert "Rij 3, kolom" in str(errors[0])


def test_a_duplicate_row_is_reported_with_the_row_it_repeats(municipalities):
    academy = recognised_academy()
    rows = register_rows(2, 2)
    rows.append(dict(rows[0]))
    errors = _reject(academy, rows)
    assert [(e.row, e.column) for e in errors] == [(6, "participant_ref")]
    assert "rij 2" in errors[0].message


def test_conflicting_birth_years_of_one_child_are_refused(municipalities):
    academy = recognised_academy()
    rows = register_rows(2, 1)
    rows[1] = {**rows[1], "birth_year": "2010"}
    errors = _reject(academy, rows)
    assert errors[0].column == "birth_year" and "rij 2" in errors[0].message


def test_every_error_of_the_file_is_listed(municipalities):
    academy = recognised_academy()
    rows = register_rows(3, 1)
    rows[0] = {**rows[0], "location_nis": "00000"}
    rows[2] = {**rows[2], "birth_year": "3000", "end_time": "08:00"}
    errors = _reject(academy, rows)
    assert [(e.row, e.column) for e in errors] == [
        (2, "location_nis"),
        (4, "end_time"),
        (4, "birth_year"),
    ]


def test_missing_columns_and_wrong_file_types_are_refused():
    with pytest.raises(ValueError, match="Ontbrekende kolommen: birth_year"):
        read_file(
            b"activity_code,activity_title,series_code,session_date,start_time,"
            b"end_time,location_nis,participant_ref\n",
            "x.csv",
        )
    with pytest.raises(ValueError, match="CSV- of XLSX"):
        read_file(b"%PDF-1.4", "x.pdf")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trips(municipalities, fmt):
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(3, 4))
    content = export_file(academy, fmt)
    rows = read_file(content, f"export.{fmt}")
    assert len(rows) == 12
    key = lambda r: (r["session_date"], r["participant_ref"])  # noqa: E731
    assert sorted(rows, key=key) == sorted(register_rows(3, 4), key=key)
    other = recognised_academy()
    import_attendance(actor=None, academy=other, rows=rows)
    assert Attendance.objects.filter(session__academy=other).count() == 12


def test_import_command(tmp_path, municipalities):
    academy = recognised_academy()
    path = tmp_path / "register.csv"
    path.write_bytes(to_csv(register_rows(2, 3)))
    out = io.StringIO()
    call_command("import_attendance", "--academy", academy.enterprise_number, str(path), stdout=out)
    assert "6 rows imported" in out.getvalue()
    bad = register_rows(2, 3)
    bad[0] = {**bad[0], "location_nis": "12"}
    path.write_bytes(to_csv(bad))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_attendance", "--academy", academy.enterprise_number, str(path), stderr=err
        )
    assert "Rij 2, kolom location_nis" in err.getvalue()


def test_one_session_with_two_end_times_in_the_file_is_refused(municipalities):
    academy = recognised_academy()
    rows = register_rows(1, 3)
    rows[2] = {**rows[2], "end_time": "13:00"}
    errors = _reject(academy, rows)
    assert [(e.row, e.column) for e in errors] == [(4, "end_time")]
    assert "rij 2" in errors[0].message and "12:00" in errors[0].message


def test_a_stored_session_with_another_end_time_is_a_conflict_not_a_copy(municipalities):
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(1, 2))
    rows = [{**row, "end_time": "11:30"} for row in register_rows(1, 2)]
    errors = _reject(academy, rows)
    assert {(e.row, e.column) for e in errors} == {(2, "end_time"), (3, "end_time")}
    assert "bestaat al met einduur 12:00" in errors[0].message


def test_the_listed_error_kinds_each_have_a_distinct_message(municipalities):
    """Unknown REFNIS, postal code outside Flanders, end before start, impossible date,
    birth year in the future, duplicate row: six rows, six different messages."""
    academy = recognised_academy()
    rows = register_rows(1, 8)
    rows[1] |= {"location_nis": "99999"}
    rows[2] |= {"residence_postal_code": "4000"}  # Liège
    rows[3] |= {"start_time": "12:00", "end_time": "10:00"}
    rows[4] |= {"session_date": "2026-04-31"}
    rows[5] |= {"birth_year": "2999"}
    rows.append(dict(rows[0]))
    errors = _reject(academy, rows)
    assert [(e.row, e.column) for e in errors] == [
        (3, "location_nis"),
        (4, "residence_postal_code"),
        (5, "end_time"),
        (6, "session_date"),
        (7, "birth_year"),
        (10, "participant_ref"),
    ]
    phrases = [
        "Onbekende NIS-code",
        "ligt niet in Vlaanderen",
        "niet na het beginuur",
        "Deze datum bestaat niet",
        "in de toekomst",
        "Dubbele rij",
    ]
    for error, phrase in zip(errors, phrases, strict=True):
        assert phrase in error.message
        assert sum(p in error.message for p in phrases) == 1
    assert _counts() == (0, 0, 0, 0, 0)


def test_import_page_lists_errors_then_accepts_the_fixed_file(client, municipalities):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import make_member

    academy = recognised_academy()
    client.force_login(make_member(academy))
    url = reverse("academies:import", args=[academy.pk])
    rows = register_rows(3, 3)
    rows[4] = {**rows[4], "location_nis": "99999"}
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", to_csv(rows))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>6</td><td><code>location_nis</code></td>" in page
    assert "Onbekende NIS-code 99999" in page and "Er werd niets ingelezen" in page
    assert _counts() == (0, 0, 0, 0, 0)
    good = export_file_for_rows(register_rows(3, 3))
    response = client.post(url, {"file": SimpleUploadedFile("r.xlsx", good)})
    assert response.status_code == 302
    assert Attendance.objects.filter(session__academy=academy).count() == 9


def export_file_for_rows(rows) -> bytes:
    import tablib
    from import_export.formats.base_formats import XLSX

    from academies.imports import COLUMNS

    return XLSX().export_data(tablib.Dataset(*[list(r.values()) for r in rows], headers=COLUMNS))
