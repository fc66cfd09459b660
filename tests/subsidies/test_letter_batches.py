"""Letters are rendered in small batches (issue 12, letters): a batch reads its awards, their
lines and their addressees once, stores each letter in a transaction of its own, and a
letter that fails in a batch is tried again on its own task, where its failure is kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academies.selectors.organisation import admin_emails_of, contact_names
from subsidies import services, tasks
from subsidies.models import Award, AwardLetter, LetterFailure, PeriodStatus
from tests.factories import AcademyFactory, make_admin, make_member
from tests.factories.subsidies import closed_period, network
from tests.subsidies.test_jobs import (
    _calculate_and_approve,
    _inject_letter_failure,
    _remove_letter_failure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(municipalities, django_capture_on_commit_callbacks):
    network(3)
    period, staff = closed_period(budget_cents=600_001)
    period = _calculate_and_approve(period, staff, django_capture_on_commit_callbacks)
    ids = list(
        Award.objects.filter(run=period.approved_run).order_by("pk").values_list("pk", flat=True)
    )
    return period, ids


def test_batches_share_a_small_period_and_stay_small_in_a_large_one():
    assert tasks.letter_batches([1, 2, 3]) == [[1], [2], [3]]
    forty = list(range(40))
    assert tasks.letter_batches(forty) == [forty[i : i + 2] for i in range(0, 40, 2)]
    big = tasks.letter_batches(list(range(925)))
    assert [len(b) for b in big] == [10] * 92 + [5]
    assert [pk for batch in big for pk in batch] == list(range(925))  # each once, in order


def test_a_batch_reads_its_awards_lines_and_addressees_once(
    approved, django_capture_on_commit_callbacks
):
    period, ids = approved
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.render_letters(ids) == []
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]

    def reads(table):  # not counting the check whether the period's letters are all there
        return sum(f'FROM "{table}"' in sql and "awardletter" not in sql for sql in selects)

    assert reads("subsidies_award") == 1  # the awards, with run, period and academy
    assert reads("subsidies_awardline") == 1  # every award's lines
    # addressees and e-mail addresses: one query each for the whole batch
    assert reads("academies_membership") == 2
    assert AwardLetter.objects.filter(award__in=ids).count() == 3
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT


def test_a_letter_that_fails_in_its_batch_is_retried_alone_and_its_failure_kept(
    approved, django_capture_on_commit_callbacks, not_propagating
):
    period, ids = approved
    broken = Award.objects.get(pk=ids[1])
    _inject_letter_failure(broken)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.render_letter_batch.delay(ids)
    assert set(AwardLetter.objects.values_list("award_id", flat=True)) == {ids[0], ids[2]}
    failure = LetterFailure.objects.get()
    assert failure.award_id == ids[1] and "injected failure" in failure.error
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPROVED  # one letter still missing

    _remove_letter_failure()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.render_letter_batch.delay([ids[1]])
    assert AwardLetter.objects.count() == 3 and not LetterFailure.objects.exists()
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT


def test_a_batch_whose_awards_cannot_be_read_falls_back_to_one_task_per_letter(
    approved, django_capture_on_commit_callbacks, monkeypatch, not_propagating
):
    period, ids = approved
    original = services.letters.letter_awards

    def unreadable_batches(award_ids):
        if len(award_ids) > 1:
            raise RuntimeError("batch read failed")
        return original(award_ids)

    monkeypatch.setattr(services.letters, "letter_awards", unreadable_batches)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.render_letter_batch.delay(ids)
    assert AwardLetter.objects.count() == 3 and not LetterFailure.objects.exists()
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT


def test_addressees_and_admin_addresses_of_several_academies_in_one_query(
    municipalities, django_assert_num_queries
):
    unnamed_first, named, nobody, member_only = (AcademyFactory() for _ in range(4))
    make_admin(unnamed_first, email="a1@example.org")
    make_admin(unnamed_first, email="a2@example.org", first_name="An", last_name="Peeters")
    make_admin(named, email="b@example.org", first_name="Bert", last_name="")
    make_admin(nobody, email="c@example.org")
    make_member(member_only, email="m@example.org", first_name="Mia")
    ids = [a.pk for a in (unnamed_first, named, nobody, member_only)]
    with django_assert_num_queries(2):
        emails, names = admin_emails_of(ids), contact_names(ids)
    assert {k: sorted(v) for k, v in emails.items()} == {
        unnamed_first.pk: ["a1@example.org", "a2@example.org"],
        named.pk: ["b@example.org"],
        nobody.pk: ["c@example.org"],
    }  # members are not admins
    assert names == {unnamed_first.pk: "An Peeters", named.pk: "Bert"}  # first named admin
    assert admin_emails_of([]) == {} and contact_names([]) == {}
