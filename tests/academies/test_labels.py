"""Why KIND-uren are lost is shown in the page's language: the pure rules' Reason codes
get their words at display time."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from academies.eligibility import Reason
from academies.labels import REASON_LABELS, reason_label


def test_every_reason_has_a_label():
    assert set(REASON_LABELS) == set(Reason)


def test_labels_follow_the_language():
    with translation.override("nl-be"):
        assert reason_label(Reason.AGE) == "leeftijd buiten 5–18 jaar"
    with translation.override("en"):
        if reason_label(Reason.AGE) == Reason.AGE.value:
            pytest.skip("the catalogue is not compiled")
        assert reason_label(Reason.AGE) == "age outside 5–18"
        assert reason_label(Reason.SCHOOL_HOURS) == "during school hours"
        rendered = Template("{% load academy_labels %}{{ r|reason_label }}").render(
            Context({"r": Reason.SCHOOL_HOURS})
        )
        assert rendered == "during school hours"


@pytest.mark.django_db
def test_the_period_summary_in_english_names_the_losses_in_english(client, municipalities):
    from django.urls import reverse

    from academies.imports import import_attendance
    from tests.factories import make_member
    from tests.factories.activities import recognised_academy, register_rows

    academy = recognised_academy()
    rows = register_rows(1, 2, start=date(2026, 3, 7))
    rows[0] = {**rows[0], "birth_year": "2024"}  # two years old: does not count
    import_attendance(actor=None, academy=academy, rows=rows)
    client.force_login(make_member(academy))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("academies:period", args=[academy.pk, "2026-1"])).content.decode()
    assert "age outside 5–18" in page and "leeftijd buiten 5–18 jaar" not in page
