"""A period's life cycle: one transition table for staff's and the system's own moves,
and "reporting is closed" stored in one place only."""

import pytest

from academies.models import ReportingPeriod
from subsidies import services
from subsidies.models import Period, PeriodStatus, PeriodTransition
from subsidies.services import STAFF, SYSTEM, TRANSITIONS, SubsidyError
from tests.factories import make_staff
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db
S = PeriodStatus


def test_the_table_holds_every_move_of_the_life_cycle():
    assert TRANSITIONS.keys() == {
        (S.OPEN, S.CLOSED),
        (S.CLOSED, S.OPEN),
        (S.CALCULATED, S.OPEN),
        (S.CLOSED, S.CALCULATED),
        (S.CALCULATED, S.APPROVED),
        (S.APPROVED, S.LETTERS_SENT),
    }
    assert {k for k, step in TRANSITIONS.items() if step.by == SYSTEM} == {
        (S.CLOSED, S.CALCULATED),
        (S.APPROVED, S.LETTERS_SENT),
    }
    assert {k for k, step in TRANSITIONS.items() if step.needs_reason} == {
        (S.CLOSED, S.OPEN),
        (S.CALCULATED, S.OPEN),
    }


def test_closing_and_reopening_store_the_state_on_the_reporting_period_only(municipalities):
    staff = make_staff()
    period = services.ensure_period("2026-1")
    assert period.status == S.OPEN
    services.transition(actor=staff, period=period, to=S.CLOSED)
    reporting = ReportingPeriod.objects.get(code="2026-1")
    assert reporting.is_closed
    assert Period.objects.get(pk=period.pk).status == S.CLOSED
    assert Period.objects.get(pk=period.pk).stage == ""  # nothing stored twice
    services.transition(actor=staff, period=period, to=S.OPEN, reason="Late aanvulling")
    assert not ReportingPeriod.objects.get(code="2026-1").is_closed
    assert Period.objects.get(pk=period.pk).status == S.OPEN
    assert list(
        PeriodTransition.objects.filter(period=period).values_list("from_status", "to_status")
    ) == [(S.OPEN, S.CLOSED), (S.CLOSED, S.OPEN)]


@pytest.mark.parametrize("to", [S.CALCULATED, S.LETTERS_SENT, "bogus", "x" * 30])
def test_staff_cannot_take_the_systems_moves_or_unknown_ones(municipalities, to):
    network(1)
    period, staff = closed_period()
    with pytest.raises(SubsidyError):
        services.transition(actor=staff, period=period, to=to)
    assert Period.objects.get(pk=period.pk).status == S.CLOSED


def test_a_system_move_outside_the_table_is_refused(municipalities):
    period = services.ensure_period("2026-1")
    with pytest.raises(SubsidyError):
        services._move(actor=None, period=period, to=S.CALCULATED, by=SYSTEM)  # still open
    with pytest.raises(SubsidyError):
        services._move(actor=None, period=period, to=S.CLOSED, by=SYSTEM)  # staff's move
    assert STAFF != SYSTEM


def test_the_calculation_moves_the_period_through_the_table(municipalities):
    network(2)
    period, staff = closed_period()
    run = services.start_run(actor=staff, period=period, enqueue=False)
    services.execute_run(run.pk)
    period.refresh_from_db()
    assert period.status == S.CALCULATED and period.stage == S.CALCULATED
    services.transition(actor=staff, period=period, to=S.OPEN, reason="Fout in de data")
    period.refresh_from_db()
    assert period.status == S.OPEN and not period.reporting_period.is_closed


def test_an_invalid_status_in_the_url_is_a_message_not_a_500(client, municipalities):
    from django.urls import reverse

    staff = make_staff()
    period = services.ensure_period("2026-1")
    client.force_login(staff)
    response = client.post(
        reverse("subsidies_staff:transition", args=[period.code, "bogus"]), follow=True
    )
    assert response.status_code == 200
    assert "Onbekende status." in response.content.decode()
