"""Services enforce the permissions themselves, with the reason, whoever calls them: a
view that forgot its check, a command, a task."""

from datetime import date, time

import pytest

from academies.models import Activity, Session
from academies.permissions import can_edit_academy_data, can_manage_academy
from academies.services import AcademyError
from academies.services import activities as services
from stemnet.permissions import Decision
from subsidies import services as subsidy_services
from subsidies.permissions import can_manage_periods
from subsidies.services import SubsidyError
from tests.factories import academy_roles, make_staff
from tests.factories.activities import recognised_academy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]


def test_a_decision_is_a_bool_with_a_reason(municipalities):
    roles = academy_roles()
    allowed = can_edit_academy_data(roles.member, roles.academy)
    refused = can_manage_academy(roles.member, roles.academy)
    assert isinstance(allowed, Decision) and allowed and allowed.reason == ""
    ok, reason = refused
    assert not refused and ok is False and "beheerder" in reason
    assert not can_manage_periods(roles.admin) and can_manage_periods(make_staff())


def test_activity_services_refuse_a_member_of_another_academy(municipalities):
    roles = academy_roles()
    outsider = roles.other
    with pytest.raises(AcademyError, match="Enkel leden van de academie"):
        services.create_activity(
            actor=outsider, academy=roles.academy, code="X", title="X", format="club"
        )
    assert not Activity.objects.filter(academy=roles.academy).exists()
    activity = services.create_activity(
        actor=roles.member, academy=roles.academy, code="X", title="X", format="club"
    )
    series = services.create_series(
        actor=roles.member,
        activity=activity,
        code="R1",
        municipality=roles.academy.municipality,
        venue="",
        start_date=date(2026, 3, 7),
        end_date=date(2026, 3, 7),
        weekdays=[5],
        start_time=time(10),
        end_time=time(12),
    )
    session = series.sessions.get()
    for call in (
        lambda: services.add_session(
            actor=outsider,
            series=series,
            day=date(2026, 3, 14),
            start_time=time(10),
            end_time=time(12),
        ),
        lambda: services.delete_session(actor=outsider, session=session),
        lambda: services.add_participant(
            actor=outsider, academy=roles.academy, ref="K1", birth_year=2015
        ),
    ):
        with pytest.raises(AcademyError):
            call()
    assert list(Session.objects.filter(series=series)) == [session]


def test_subsidy_services_refuse_anyone_but_staff(municipalities):
    roles = academy_roles()
    period = subsidy_services.ensure_period("2026-1")
    with pytest.raises(SubsidyError, match="VLAIO-medewerkers"):
        subsidy_services.transition(actor=roles.admin, period=period, to="closed")
    with pytest.raises(SubsidyError):
        subsidy_services.start_run(actor=roles.admin, period=period)
    period.refresh_from_db()
    assert period.status == "open"


def test_a_recognised_academy_fixture_is_not_needed_for_the_refusal(municipalities):
    academy = recognised_academy()
    roles = academy_roles()
    with pytest.raises(AcademyError):
        services.create_activity(
            actor=roles.member, academy=academy, code="Y", title="Y", format="club"
        )
