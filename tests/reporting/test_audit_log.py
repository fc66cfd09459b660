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
