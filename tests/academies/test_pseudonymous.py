"""Participants stay pseudonymous (issue 11): a reference that looks like a name or an
e-mail address is accepted (the academy knows its own codes) but gets a warning, in the
form and in the import."""

import pytest
from django.urls import reverse

from academies.imports import import_attendance
from academies.models import Series
from academies.validation import ref_personal_data_warning
from tests.factories import make_admin
from tests.factories.activities import recognised_academy, register_rows


@pytest.mark.parametrize(
    "ref, warned",
    [
        ("K12", False),
        ("GENT-03", False),
        ("kind7", False),
        ("ABC", False),
        ("2019-A", False),
        ("Lotte", True),
        ("Jan Peeters", True),
        ("An-Sofie De Smet", True),
        ("lotte.peeters@example.org", True),
        ("x@y.be", True),
    ],
)
def test_what_looks_like_a_name_or_an_address(ref, warned):
    assert (ref_personal_data_warning(ref) is not None) is warned


@pytest.mark.django_db
def test_the_import_flags_name_like_references(municipalities):
    academy = recognised_academy()
    rows = register_rows(1, 2)
    rows[0]["participant_ref"] = "Jan Peeters"
    result = import_attendance(actor=None, academy=academy, rows=rows)
    assert result.created["participants"] == 2
    [warning] = result.warnings
    assert "Jan Peeters" in warning


@pytest.mark.django_db
def test_the_series_page_warns_after_adding_a_name(client, municipalities):
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(1, 1))
    series = Series.objects.get(activity__academy=academy)
    client.force_login(make_admin(academy))
    response = client.post(
        reverse("academies:series_add_participant", args=[academy.pk, series.pk]),
        {"p-ref": "Lotte", "p-birth_year": "2015", "p-residence_postal_code": ""},
        follow=True,
    )
    assert "lijkt op een naam" in response.content.decode()
    page = client.get(reverse("academies:series", args=[academy.pk, series.pk]))
    assert "Geen namen of e-mailadressen" in page.content.decode()
