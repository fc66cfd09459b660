import pytest
from django.urls import reverse

from stemnet.audit import history, record
from tests.factories import AcademyFactory, make_member, make_staff

pytestmark = pytest.mark.django_db


def _events(n, actor, obj):
    for i in range(n):
        record(actor=actor, action="academy.updated", obj=obj, payload={"i": i})


def test_audit_log_lists_and_filters_with_constant_queries(client, django_assert_max_num_queries):
    staff = make_staff()
    academy = AcademyFactory()
    client.force_login(staff)
    _events(3, staff, academy)
    record(actor=staff, action="recognition.approved", obj=academy)
    client.get(reverse("reporting:audit_log"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("reporting:audit_log"))
    _events(60, staff, academy)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reporting:audit_log"))
    assert len(response.context["page"].object_list) == 50
    response = client.get(reverse("reporting:audit_log"), {"actie": "recognition."})
    assert [e.action for e in response.context["page"]] == ["recognition.approved"]
    assert history(academy).count() == 64


def test_audit_log_is_staff_only(client):
    client.force_login(make_member())
    assert client.get(reverse("reporting:audit_log")).status_code == 403


def test_audit_log_shows_actions_in_words_payloads_as_text_and_links(client):
    from subsidies.services import ensure_period
    from tests.factories import ensure_municipalities

    ensure_municipalities()
    staff = make_staff()
    academy = AcademyFactory(name="Techniekclub Gent")
    period = ensure_period("2026-1")
    record(actor=staff, action="period.approved", obj=period, payload={"from": "calculated"})
    record(
        actor=staff,
        action="attendance.imported",
        obj=academy,
        payload={"rows": 6, "created": {"sessions": 2, "attendance": 6}},
    )
    record(actor=staff, action="calculation.succeeded", obj=period, payload={"total_cents": 12345})
    client.force_login(staff)
    page = client.get(reverse("reporting:audit_log")).content.decode()
    assert "Bedragen goedgekeurd" in page and "Aanwezigheidsregister geïmporteerd" in page
    assert "{&#x27;" not in page and "{'" not in page  # no Python dicts
    assert "<dt>van</dt><dd>Berekend (ontwerp)</dd>" in page
    assert "<dt>aangemaakt</dt><dd>sessies 2, aanwezigheden 6</dd>" in page
    assert "<dt>totaal (EUR)</dt><dd>123,45</dd>" in page
    assert f'<a href="{academy.get_absolute_url()}">' in page and "Techniekclub Gent" in page
    assert f'<a href="{period.get_absolute_url()}">' in page


def test_every_recorded_action_has_words():
    import re
    import subprocess
    from pathlib import Path

    from academies.workflow import ACTIONS
    from reporting.audit import ACTION_LABELS
    from subsidies.models import PeriodStatus

    root = Path(__file__).resolve().parents[2]
    sources = subprocess.run(
        ["git", "ls-files", "academies", "subsidies", "partnerships", "stemnet", "reporting"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    codes = set()
    for name in sources:
        if name.endswith(".py"):
            codes |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', (root / name).read_text()))
    codes |= {f"recognition.{code}" for code in ACTIONS}
    codes |= {f"period.{status}" for status in PeriodStatus.values}
    codes |= {"staff.granted"}
    codes.discard("system.ping")
    assert codes - set(ACTION_LABELS) == set()


def test_audit_payload_amounts_in_euro_and_empty_values_left_out():
    from reporting.audit import payload_lines

    lines = payload_lines({"budget_cents": "2400000", "reason": "", "from": "closed"})
    assert lines == [("budget (EUR)", "24.000,00"), ("van", "Afgesloten voor rapportering")]
