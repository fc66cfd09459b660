"""An academy may welcome 3- or 20-year-olds, but the criteria are 5–18: the profile form
warns (without refusing), and staff see the ages, domains, address and description, with
the same warning, on the decision page."""

import pytest
from django.urls import reverse

from academies.criteria import age_range_warning
from academies.models import Academy, ApplicationState
from tests.academies.test_profile import VALID
from tests.factories import (
    AcademyFactory,
    UserFactory,
    application_in_state,
    make_admin,
    make_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]
WARNING = "alleen zij tellen voor de erkenning en de KIND-uren"


@pytest.mark.parametrize(
    "ages,warns", [((5, 18), False), ((8, 14), False), ((3, 12), True), ((6, 20), True)]
)
def test_the_warning_names_the_criteria(ages, warns):
    assert (age_range_warning(*ages) is not None) == warns


def test_registering_ages_3_to_20_is_accepted_with_a_warning(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("academies:register"), {**VALID, "min_age": "3", "max_age": "20"}, follow=True
    )
    academy = Academy.objects.get()
    assert (academy.min_age, academy.max_age) == (3, 20)
    assert WARNING in response.content.decode()


def test_the_profile_form_says_which_ages_count_and_warns_on_stored_ages(client):
    academy = AcademyFactory(min_age=3, max_age=20)
    client.force_login(make_admin(academy))
    body = client.get(reverse("academies:edit", args=[academy.pk])).content.decode()
    assert "Alleen kinderen en jongeren van 5 tot en met 18 jaar tellen" in body
    assert WARNING in body


def test_the_decision_page_shows_the_profile_and_warns_on_ages(client):
    academy = AcademyFactory(
        min_age=3,
        max_age=20,
        street="Molenstraat 7",
        stem_domains=["science", "mathematics"],
        public_description="Elke woensdag proefjes.",
    )
    application = application_in_state(ApplicationState.SUBMITTED, academy)
    client.force_login(make_staff())
    body = client.get(reverse("academies_staff:review", args=[application.pk])).content.decode()
    for shown in ("Molenstraat 7", "Wetenschap, Wiskunde", "3 tot 20 jaar", "Elke woensdag"):
        assert shown in body, shown
    assert "de criteria zijn 5 tot en met 18 jaar" in body
    academy.min_age, academy.max_age = 6, 12
    academy.save()
    body = client.get(reverse("academies_staff:review", args=[application.pk])).content.decode()
    assert "de criteria zijn 5 tot en met 18 jaar" not in body
