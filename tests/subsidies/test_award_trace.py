"""The award page's trace: every euro back to the sessions it came from, frozen at approval."""

import pytest
from django.db import IntegrityError, transaction

from academies.kind_hours import breakdown
from academies.models import Attendance, Session
from subsidies import awards
from subsidies.models import AwardLine, AwardSession
from tests.factories.awards import approved_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(municipalities, django_capture_on_commit_callbacks):
    return approved_period(django_capture_on_commit_callbacks)


def _per_municipality(rows):
    sums = {}
    for r in rows:
        sums[r.municipality_id] = sums.get(r.municipality_id, 0) + r.earned
    return {k: v for k, v in sums.items() if v}


def test_the_sessions_child_minutes_add_up_to_the_award_lines(approved):
    period, _staff, academies, award = approved
    rows = awards.session_rows(award)
    lines = {line.municipality_id: line for line in award.lines.all()}
    assert _per_municipality(rows) == {g: line.child_minutes for g, line in lines.items()}
    assert sum(line.amount_cents for line in lines.values()) == award.amount_cents
    assert sum(r.earned for r in rows) == award.child_minutes
    # what was lost, per reason, is breakdown()'s figure for the same attendance
    rp = period.reporting_period
    attendance = Attendance.objects.filter(
        session__academy=award.academy,
        session__date__gte=rp.start_date,
        session__date__lte=rp.end_date,
    )
    expected = breakdown(attendance)
    lost = {}
    for r in rows:
        for reason, minutes in r.lost.items():
            lost[reason] = lost.get(reason, 0) + minutes
    assert lost == expected["lost"]
    assert len(expected["lost"]) == 3  # school hours, age, outside Flanders
    assert sum(r.earned for r in rows) == expected["eligible"]


def test_the_approved_trace_is_frozen_and_does_not_follow_later_data(approved):
    _period, _staff, _academies, award = approved
    before = awards.session_rows(award)
    assert AwardSession.objects.filter(award=award).count() == len(before)
    lines_before = list(AwardLine.objects.filter(award=award).values())
    # the underlying attendance changes after approval
    Attendance.objects.filter(session__academy=award.academy).delete()
    Session.objects.filter(academy=award.academy).update(counted_minutes=1)
    assert awards.session_rows(award) == before
    assert list(AwardLine.objects.filter(award=award).values()) == lines_before
    assert awards.live_trace(award).filter(earned__gt=0).count() == 0  # live would differ


def test_the_database_refuses_to_change_a_frozen_trace(approved):
    _period, _staff, _academies, award = approved
    row = AwardSession.objects.filter(award=award).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardSession.objects.filter(pk=row.pk).update(earned=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardSession.objects.filter(pk=row.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.pk = None
        row.session_id = 999_999
        row.save()


def test_a_draft_run_shows_the_live_trace(municipalities, django_capture_on_commit_callbacks):
    from subsidies import services
    from subsidies.models import Award
    from tests.factories.subsidies import closed_period, network

    network(1)
    period, staff = closed_period()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=period)
    award = Award.objects.get(run=period.runs.first())
    assert not awards.is_frozen(award)
    assert not AwardSession.objects.exists()
    rows = awards.session_rows(award)
    assert sum(r.earned for r in rows) == award.child_minutes


def test_the_trace_is_frozen_only_by_a_successful_approval(
    municipalities, django_capture_on_commit_callbacks
):
    from subsidies import services
    from subsidies.models import Period
    from subsidies.services import SubsidyError
    from tests.factories.subsidies import closed_period, network

    network(1)
    period, staff = closed_period()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=period)
    Period.objects.filter(pk=period.pk).update(budget_cents=5)  # parameters changed since
    with pytest.raises(SubsidyError):
        services.transition(actor=staff, period=Period.objects.get(pk=period.pk), to="approved")
    assert not AwardSession.objects.exists()
    Period.objects.filter(pk=period.pk).update(budget_cents=1_000_000)
    services.transition(actor=staff, period=Period.objects.get(pk=period.pk), to="approved")
    run = Period.objects.get(pk=period.pk).approved_run
    # every session of the academy in the period (10 in Gent, 4 in Leuven)
    assert AwardSession.objects.filter(award__run=run).count() == Session.objects.count() == 14
