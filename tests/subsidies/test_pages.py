"""Staff and academy pages of the subsidies app: confirmations, progress polling, the
frozen admin, the ZIP of all letters, re-rendering, exports and constant query counts."""

import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from academies.models import MemberRole, Membership
from stemnet.models import Municipality
from subsidies import services
from subsidies.models import (
    Award,
    AwardLetter,
    AwardLine,
    CalculationRun,
    Period,
    PeriodStatus,
    RunStatus,
)
from subsidies.templatetags.cents import euro, points
from tests.factories import AcademyFactory, make_member, make_staff
from tests.factories.subsidies import closed_period, network
from tests.subsidies.test_calculation import _close
from tests.subsidies.test_jobs import executor_alive

pytestmark = pytest.mark.django_db


@pytest.fixture
def calculated(municipalities, django_capture_on_commit_callbacks):
    """Three academies, period 2026-1 calculated with EUR 6,000.01."""
    network(3)
    period, staff = closed_period(budget_cents=600_001)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    assert period.status == PeriodStatus.CALCULATED
    return period, staff


@pytest.fixture
def approved(calculated, client):
    period, staff = calculated
    client.force_login(staff)
    response = client.post(
        reverse("subsidies_staff:transition", args=[period.code, PeriodStatus.APPROVED]),
        {"confirm": "1"},
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPROVED
    return period, staff


@pytest.fixture
def sent(approved, client, django_capture_on_commit_callbacks):
    period, staff = approved
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("subsidies_staff:send_letters", args=[period.code]), {"confirm": "1"})
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT
    return period, staff


def _amounts(run):
    return sorted(Award.objects.filter(run=run).values_list("academy_id", "amount_cents"))


def _lines(run):
    return sorted(
        AwardLine.objects.filter(award__run=run).values_list(
            "award__academy_id", "municipality_id", "amount_cents"
        )
    )


def _text(pdf_bytes):
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages).split()
    )


# --- confirmations and the life cycle -------------------------------------------------------


def test_approval_needs_an_explicit_confirmation(calculated, client):
    period, staff = calculated
    client.force_login(staff)
    url = reverse("subsidies_staff:transition", args=[period.code, PeriodStatus.APPROVED])
    page = client.get(period.get_absolute_url()).content.decode()
    assert 'name="confirm"' in page and "definitief goed" in page
    response = client.post(url, follow=True)
    assert "Vink de bevestiging aan" in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.CALCULATED and period.approved_run is None
    client.post(url, {"confirm": "1"})
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPROVED
    assert period.approved_run == period.runs.get()


def test_approval_is_refused_after_the_parameters_changed(calculated, client):
    period, staff = calculated
    services.update_parameters(
        actor=staff,
        period=period,
        values={"budget_cents": 700_000},
        priority_municipalities=[],
    )
    client.force_login(staff)
    page = client.get(period.get_absolute_url()).content.decode()
    assert "gewijzigd na de laatste berekening" in page
    response = client.post(
        reverse("subsidies_staff:transition", args=[period.code, PeriodStatus.APPROVED]),
        {"confirm": "1"},
        follow=True,
    )
    assert "Bereken opnieuw" in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.CALCULATED


def test_sending_letters_needs_a_confirmation(approved, client, django_capture_on_commit_callbacks):
    period, _staff = approved
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subsidies_staff:send_letters", args=[period.code]), follow=True
        )
    assert "Vink de bevestiging aan" in response.content.decode()
    assert not AwardLetter.objects.exists() and not mail.outbox


def test_a_period_goes_through_its_life_cycle_on_the_pages(municipalities, client):
    network(1)
    staff = make_staff()
    client.force_login(staff)
    response = client.post(reverse("subsidies_staff:periods"), {"code": "2026-1"})
    period = Period.objects.get(reporting_period__code="2026-1")
    assert response.url == period.get_absolute_url()
    close = reverse("subsidies_staff:transition", args=["2026-1", PeriodStatus.CLOSED])
    page = client.get(period.get_absolute_url()).content.decode()
    assert 'name="confirm"' in page.split(close)[1].split("</form>")[0]  # closing asks first
    response = client.post(close, follow=True)
    assert "Vink de bevestiging aan" in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    client.post(close, {"confirm": "1"})
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    # Reopening needs a reason.
    url = reverse("subsidies_staff:transition", args=["2026-1", PeriodStatus.OPEN])
    response = client.post(url, {"reason": " "}, follow=True)
    assert "Geef een reden" in response.content.decode()
    client.post(url, {"reason": "Late registers van academie 1"})
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    assert period.transitions.last().reason == "Late registers van academie 1"
    response = client.post(reverse("subsidies_staff:periods"), {"code": "2026-3"}, follow=True)
    assert not Period.objects.filter(reporting_period__code="2026-3").exists()


# --- progress ------------------------------------------------------------------------------


def test_staff_see_the_progress_of_a_running_calculation(municipalities, client):
    network(1)
    period, staff = closed_period()
    run = CalculationRun.objects.create(
        period=period, status=RunStatus.RUNNING, progress=40, heartbeat_at=timezone.now()
    )
    client.force_login(staff)
    status_url = reverse("subsidies_staff:progress", args=[period.code])
    with executor_alive(run):
        page = client.get(period.get_absolute_url()).content.decode()
        assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
        fragment = client.get(status_url).content.decode()
    assert 'value="40"' in fragment and "Bezig" in fragment and "hx-trigger" in fragment
    assert "hx-swap-oob" not in fragment  # while it runs only the progress changes
    CalculationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, progress=100, total_cents=1234, unspent_cents=0
    )
    fragment = client.get(status_url).content.decode()
    assert "hx-trigger" not in fragment  # polling stops
    assert "Klaar" in fragment and "EUR 12,34" in fragment
    # ... and the parts the run changed come along: badge, next step, results.
    for part in ["period-status", "period-steps", "period-results"]:
        assert re.search(rf'id="{part}"[^>]* hx-swap-oob="true"', fragment), part
    CalculationRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    assert "Er werd niets bewaard" in client.get(status_url).content.decode()
    member = make_member()
    client.force_login(member)
    assert client.get(status_url).status_code == 403


# --- approved amounts are frozen everywhere, the Django admin included ----------------------


def test_the_admin_cannot_change_or_delete_any_subsidy_record(approved, client):
    period, _staff = approved
    run = period.approved_run
    award = Award.objects.filter(run=run).first()
    before, lines_before = _amounts(run), _lines(run)
    superuser = make_staff(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    objects = {"award": award, "calculationrun": run, "period": period}
    for model, obj in objects.items():
        changelist = reverse(f"admin:subsidies_{model}_changelist")
        assert client.get(changelist).status_code == 200
        assert (
            client.get(reverse(f"admin:subsidies_{model}_change", args=[obj.pk])).status_code == 200
        )
        assert client.post(reverse(f"admin:subsidies_{model}_add"), {}).status_code == 403
        change = reverse(f"admin:subsidies_{model}_change", args=[obj.pk])
        assert (
            client.post(
                change, {"amount_cents": 1, "budget_cents": 1, "status": "open"}
            ).status_code
            == 403
        )
        delete = reverse(f"admin:subsidies_{model}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        # No bulk action is offered, and posting one anyway does nothing.
        assert "delete_selected" not in client.get(changelist).content.decode()
        client.post(
            changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )
    # Lines have no admin of their own; inside the award they are read-only.
    with pytest.raises(NoReverseMatch):
        reverse("admin:subsidies_awardline_change", args=[1])
    page = client.get(reverse("admin:subsidies_award_change", args=[award.pk])).content.decode()
    assert 'name="lines-0-amount_cents"' not in page
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPROVED and period.approved_run == run
    assert _amounts(run) == before and _lines(run) == lines_before


def test_no_staff_page_changes_approved_amounts(
    approved, client, django_capture_on_commit_callbacks
):
    period, _staff = approved
    run = period.approved_run
    before, lines_before = _amounts(run), _lines(run)
    code = period.code
    parameters = {
        "action": "parameters",
        "budget_eur": "1",
        "min_kind_hours": "0",
        "priority_weight": "1",
        "spread_bonus_pct": "0",
        "spread_cap_pct": "0",
        "confirm": "1",
        "reason": "correctie",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(period.get_absolute_url(), parameters, follow=True)
        assert "liggen vast" in response.content.decode()
        client.post(reverse("subsidies_staff:start_run", args=[code]))
        for status in PeriodStatus.values:
            client.post(reverse("subsidies_staff:transition", args=[code, status]), parameters)
        client.post(reverse("subsidies_staff:what_if", args=[code]), parameters)
        client.post(reverse("subsidies_staff:send_letters", args=[code]), parameters)
    period.refresh_from_db()
    assert period.approved_run == run and period.budget_cents == 600_001
    assert CalculationRun.objects.filter(period=period).count() == 1
    assert _amounts(run) == before and _lines(run) == lines_before
    page = client.get(period.get_absolute_url()).content.decode()
    assert "Parameters bewaren" not in page
    assert "haar parameters liggen vast en worden niet meer bewaard" in page
    assert "bewaren doet u met de knop" not in page


# --- letters: ZIP, re-rendering, downloads --------------------------------------------------


def test_the_zip_holds_every_letter_of_the_period(sent, client):
    period, _staff = sent
    response = client.get(reverse("subsidies_staff:letters_zip", args=[period.code]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    _close(response)
    awards = Award.objects.filter(run=period.approved_run).select_related("academy", "letter")
    assert sorted(archive.namelist()) == sorted(f"{a.reference}.pdf" for a in awards)
    for award in awards:
        text = _text(archive.read(f"{award.reference}.pdf"))
        assert award.academy.name in text and f"EUR {euro(award.amount_cents)}" in text


def test_no_zip_before_approval(calculated, client):
    period, staff = calculated
    client.force_login(staff)
    assert client.get(reverse("subsidies_staff:letters_zip", args=[period.code])).status_code == 404


def test_letters_are_re_rendered_without_changing_amounts_or_mailing_again(
    sent, client, django_capture_on_commit_callbacks
):
    period, _staff = sent
    run = period.approved_run
    before, lines_before = _amounts(run), _lines(run)
    mails = len(mail.outbox)
    assert mails == 3
    old = {letter.pk: letter.file.name for letter in AwardLetter.objects.all()}
    AwardLetter.objects.update(rendered_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subsidies_staff:send_letters", args=[period.code]),
            {"confirm": "1"},
            follow=True,
        )
    assert "3 brieven worden opnieuw opgemaakt" in response.content.decode()
    letters = AwardLetter.objects.select_related("award")
    assert {letter.pk for letter in letters} == set(old)  # the same letters, rendered again
    for letter in letters:
        assert letter.rendered_at > timezone.now() - timedelta(hours=1)
        with letter.file.open("rb") as handle:
            assert f"EUR {euro(letter.award.amount_cents)}" in _text(handle.read())
    assert len(mail.outbox) == mails
    assert _amounts(run) == before and _lines(run) == lines_before
    assert "Brieven: 3 van 3 opgemaakt." in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT


def test_letter_kind_hours_per_municipality_match_the_award(sent):
    period, _staff = sent
    award = Award.objects.filter(run=period.approved_run).order_by("-academy_id").first()
    with award.letter.file.open("rb") as handle:
        text = _text(handle.read())
    lines = list(award.lines.select_related("municipality"))
    assert len(lines) == 2
    for line in lines:
        row = f"{line.municipality.name} {line.municipality_id} {points(line.kind_hours)}"
        assert f"{row} {euro(line.amount_cents)}" in text
    assert f"Totaal {points(award.kind_hours)} {euro(award.amount_cents)}" in text
    assert points(Decimal("4700.00")) == "4.700,00"  # KIND-uren in Belgian notation
    assert award.reference in text


def test_payment_export_as_xlsx(sent, client):
    period, _staff = sent
    response = client.get(reverse("subsidies_staff:export_xlsx", args=[period.code]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["kbo", "naam", "iban", "bedrag_eur", "referentie"]
    awards = {
        a.reference: a
        for a in Award.objects.filter(run=period.approved_run).select_related("academy")
    }
    assert len(rows) == 1 + len(awards)
    for kbo, name, iban, amount, reference in rows[1:]:
        award = awards[reference]
        assert (kbo, name, iban or "") == (
            award.academy.enterprise_number,
            award.academy.name,
            award.academy.iban,
        )
        assert amount == f"{award.amount_cents // 100}.{award.amount_cents % 100:02d}"
    assert sum(a.amount_cents for a in awards.values()) == 600_001
    without = [a.academy.name for a in awards.values() if not a.academy.iban]
    page = client.get(period.get_absolute_url()).content.decode()
    assert ("Zonder IBAN" in page) == bool(without)
    assert all(name in page for name in without)


# --- the command ---------------------------------------------------------------------------


def test_compute_subsidies_stores_a_run_and_prints_its_figures(municipalities, tmp_path):
    network(3)
    period, _staff = closed_period(budget_cents=600_001, academy_cap_cents=250_000)
    out, csv_path = io.StringIO(), tmp_path / "out.csv"
    call_command("compute_subsidies", period.code, "--csv", str(csv_path), stdout=out)
    run = CalculationRun.objects.get(period=period)
    assert run.status == RunStatus.SUCCEEDED
    stored = {
        a.academy.enterprise_number: a
        for a in Award.objects.filter(run=run).select_related("academy")
    }
    rows = [line.split(",") for line in csv_path.read_text().splitlines()]
    assert rows[0] == ["kbo", "academy", "kind_uren", "points", "amount_eur"]
    for kbo, name, kind_uren, _points, amount in rows[1:]:
        award = stored.pop(kbo)
        assert name == award.academy.name
        assert kind_uren == str(award.kind_hours)
        assert amount == f"{award.amount_cents // 100}.{award.amount_cents % 100:02d}"
    assert not stored
    assert f"fingerprint {run.fingerprint}" in out.getvalue()
    period.refresh_from_db()
    assert period.status == PeriodStatus.CALCULATED


# --- query counts --------------------------------------------------------------------------


def test_list_pages_use_a_constant_number_of_queries(
    sent, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Count each list page's queries with the small network, then again after adding
    more periods, academies, awards and letters: never more."""
    period, staff = sent
    member = make_member(Award.objects.filter(run=period.approved_run).first().academy)
    pages = [
        (staff, reverse("subsidies_staff:periods")),
        (staff, reverse("subsidies:letters")),
        (member, reverse("subsidies:letters")),
    ]

    def count(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = [count(user, url) for user, url in pages]
    detail_before = count(staff, period.get_absolute_url())  # 3 awards with letters

    academies = network(6, start=date(2026, 7, 4), prefix="Tweede")
    for code in ["2025-1", "2025-2", "2024-2"]:
        closed_period(code=code)
    later, _ = closed_period(code="2026-2", budget_cents=900_000)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=later)
    later.refresh_from_db()
    services.transition(actor=staff, period=later, to=PeriodStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_letters(actor=staff, period=Period.objects.get(pk=later.pk))
    Membership.objects.create(user=member, academy=academies[0], role=MemberRole.MEMBER)
    assert AwardLetter.objects.count() >= 9

    for (user, url), queries in zip(pages, before, strict=True):
        client.force_login(user)
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200
    client.force_login(staff)
    url = later.get_absolute_url()
    with django_assert_max_num_queries(detail_before):
        assert client.get(url).status_code == 200  # more awards, all with letters


def test_the_letter_explains_a_binding_cap_and_the_spread_bonus(
    municipalities, django_capture_on_commit_callbacks
):
    from subsidies.letters import letter_html, render_pdf

    network(3)
    period, staff = closed_period(
        budget_cents=600_000,
        academy_cap_cents=250_000,
        spread_bonus=Decimal("0.1"),
        spread_cap=Decimal("0.3"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=period)
    awards = Award.objects.filter(run__period=period).select_related(
        "academy__municipality", "run__period__reporting_period"
    )
    texts = {a.academy_id: (a, _text(render_pdf(letter_html(a)))) for a in awards}
    capped = [a for a, text in texts.values() if "daarop begrensd" in text]
    assert [a.amount_cents for a in capped] == [250_000]
    for award, text in texts.values():
        assert "Uw maximum was EUR 2.500,00 (EUR 2.500,00 per academie)" in text
        if award not in capped:
            assert "dat werd niet bereikt" in text
    # The academy in Gent and Leuven: 2 municipalities, +10 % on its KIND-uren.
    spread, text = texts[max(texts)]
    assert "(1 + 10% spreidingsbonus voor 2 gemeenten" in text
    assert f"= {points(spread.points)} punten" in text


def test_the_parameters_form_posts_back_valid_as_shown(municipalities, client):
    """Saved with a spread bonus of 12.5 %, the form shows values it accepts unchanged."""
    network(1)
    period, staff = closed_period(spread_bonus=Decimal("0.125"), spread_cap=Decimal("0.3"))
    client.force_login(staff)
    form = client.get(period.get_absolute_url()).context["form"]
    shown = {name: form[name].field.prepare_value(form[name].value()) for name in form.fields}
    data = {name: "" if value is None else value for name, value in shown.items()}
    assert data["spread_bonus_pct"] == "12,50"  # shown the Dutch way, and accepted so
    response = client.post(period.get_absolute_url(), {**data, "action": "parameters"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.spread_bonus == Decimal("0.125") and period.spread_cap == Decimal("0.3")


def test_approval_waits_for_a_running_calculation(calculated, client):
    period, staff = calculated
    CalculationRun.objects.create(period=period, status=RunStatus.RUNNING)
    client.force_login(staff)
    page = client.get(period.get_absolute_url()).content.decode()
    assert "Goedkeuren kan zodra de laatste berekening klaar is" in page
    assert 'name="confirm"' not in page
    response = client.post(
        reverse("subsidies_staff:transition", args=[period.code, PeriodStatus.APPROVED]),
        {"confirm": "1"},
        follow=True,
    )
    assert "geen afgewerkte berekening" in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.CALCULATED


def test_what_if_shows_the_form_errors_where_htmx_swaps_them_in(calculated, client):
    period, staff = calculated
    client.force_login(staff)
    response = client.post(
        reverse("subsidies_staff:what_if", args=[period.code]),
        {"budget_eur": "-5", "min_kind_hours": "0", "priority_weight": "0.5"},
    )
    assert response.status_code == 200  # htmx ignores 4xx responses by default
    body = response.content.decode()
    assert "Controleer de parameters" in body and 'id="what-if-result"' in body


def test_sending_letters_the_first_time_says_academies_get_an_e_mail(
    approved, client, django_capture_on_commit_callbacks
):
    period, _staff = approved
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subsidies_staff:send_letters", args=[period.code]),
            {"confirm": "1"},
            follow=True,
        )
    assert "3 brieven worden opgemaakt; de academies krijgen een e-mail" in (
        response.content.decode()
    )
    assert len(mail.outbox) == 3
    assert all("Toekenningsbrief 2026-1" in m.subject for m in mail.outbox)


def test_the_database_itself_refuses_to_change_approved_amounts(approved):
    """Below every page and service: PostgreSQL refuses any write to an approved run."""
    if connection.vendor != "postgresql":
        pytest.skip("the freeze triggers are PostgreSQL's")
    from django.db import IntegrityError, transaction

    period, _staff = approved
    run = period.approved_run
    award = Award.objects.filter(run=run).first()
    line = AwardLine.objects.filter(award__run=run).first()
    before, lines_before = _amounts(run), _lines(run)
    attempts = [
        lambda: Award.objects.filter(pk=award.pk).update(amount_cents=1),
        lambda: Award.objects.filter(pk=award.pk).delete(),
        lambda: AwardLine.objects.filter(pk=line.pk).update(amount_cents=1),
        lambda: AwardLine.objects.filter(pk=line.pk).delete(),
        # Inserts are checked once per statement, after the row checks: an academy (and
        # a municipality) the run has no award (line) for, so that only the freeze refuses.
        lambda: Award.objects.create(
            run=run,
            academy=AcademyFactory(),
            reference="x",
            child_minutes=1,
            points="1",
            amount_cents=1,
        ),
        lambda: AwardLine.objects.create(
            award=award,
            municipality_id=Municipality.objects.exclude(
                refnis__in=award.lines.values("municipality_id")
            )
            .values_list("refnis", flat=True)
            .first(),
            child_minutes=1,
            amount_cents=1,
        ),
        lambda: Period.objects.filter(pk=period.pk).update(approved_run=None),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
            attempt()
    with pytest.raises(IntegrityError), transaction.atomic():  # a second award: refused too
        Award.objects.create(
            run=run,
            academy=award.academy,
            reference="x",
            child_minutes=1,
            points="1",
            amount_cents=1,
        )
    assert _amounts(run) == before and _lines(run) == lines_before
    # Letters of an approved run are still written, and other runs stay free.
    Period.objects.filter(pk=period.pk).update(budget_cents=period.budget_cents)
