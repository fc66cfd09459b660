"""Municipal demand: a municipality files a request, an academy nearby answers, the
municipality accepts; staff mark requested municipalities as priority of the next period."""

import pytest
from django.urls import reverse

from partnerships import selectors
from partnerships.models import (
    MemberKind,
    MunicipalRequest,
    OfferStatus,
    PartnershipMember,
    RequestStatus,
)
from stemnet.models import AuditEvent
from subsidies.services import ensure_period
from tests.factories import (
    AcademyFactory,
    PartnershipFactory,
    UserFactory,
    make_admin,
    make_partnership_lead,
    make_staff,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def eeklo_partnership(municipalities):
    partnership = PartnershipFactory(name="STEM Meetjesland")
    partnership.municipalities.add(municipality("43005"), municipality("43010"))
    official = UserFactory(email="stem@eeklo.example.org")
    lead = make_partnership_lead(partnership)
    return partnership, official, lead


def test_request_offer_accept_and_priority(eeklo_partnership, client):
    partnership, official, lead = eeklo_partnership
    # The lead adds the local government; its contact person's account may now file requests.
    client.force_login(lead)
    client.post(
        reverse("partnerships:add_member", args=[partnership.pk]),
        {
            "kind": MemberKind.LOCAL_GOVERNMENT,
            "organisation": "Stad Eeklo",
            "municipality": "43005",
            "contact_name": "Dienst Jeugd",
            "contact_email": official.email,
        },
    )
    assert PartnershipMember.objects.get(organisation="Stad Eeklo").user == official

    client.force_login(official)
    form = client.get(reverse("partnerships:new_request"))
    assert list(form.context["form"].fields["municipality"].queryset) == [municipality("43005")]
    response = client.post(
        reverse("partnerships:new_request"),
        {
            "municipality": "43005",
            "stem_domain": "digital",
            "min_age": 10,
            "max_age": 12,
            "period_code": "2027-1",
            "place": "Jeugdhuis",
            "description": "Een codeerclub op woensdag",
        },
    )
    request = MunicipalRequest.objects.get()
    assert response.status_code == 302 and request.requested_by == official
    # Another municipality cannot be chosen by this official.
    refused = client.post(
        reverse("partnerships:new_request"),
        {
            "municipality": "44021",
            "stem_domain": "digital",
            "min_age": 10,
            "max_age": 12,
            "period_code": "2027-1",
            "place": "X",
            "description": "Y",
        },
    )
    assert refused.status_code == 200 and MunicipalRequest.objects.count() == 1

    # An academy in a neighbouring municipality of the same canton sees it and offers.
    near = AcademyFactory(name="Codeclub Maldegem", municipality=municipality("43010"))
    far = AcademyFactory(name="Verre academie", municipality=municipality("71072"))
    admin, far_admin = make_admin(near), make_admin(far)
    assert request in selectors.requests_for_user(admin)
    assert request not in selectors.requests_for_user(far_admin)
    client.force_login(admin)
    page = client.get(reverse("partnerships:requests")).content.decode()
    assert "Jeugdhuis" not in page and "Eeklo" in page  # list shows municipality, not details
    client.post(request.get_absolute_url(), {"academy": near.pk, "message": "Zes woensdagen"})
    offer = request.offers.get()
    assert offer.academy == near and offer.status == OfferStatus.PROPOSED
    # The academy cannot accept its own offer.
    denied = client.post(
        reverse("partnerships:decide_offer", args=[offer.pk]), {"decision": "accept"}
    )
    assert denied.status_code == 403

    client.force_login(official)
    client.post(reverse("partnerships:decide_offer", args=[offer.pk]), {"decision": "accept"})
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and request.status == RequestStatus.FULFILLED

    # The lead sees the request and the offer on the municipality's coverage page.
    client.force_login(lead)
    page = client.get(
        reverse("reporting:coverage_region_municipality", args=[partnership.pk, "43005"])
    ).content.decode()
    assert "Een codeerclub" in page and "Codeclub Maldegem" in page

    # Staff mark the requested municipality as priority of the next period in one action.
    period = ensure_period("2027-1")
    client.force_login(make_staff())
    url = reverse("reporting:coverage_priorities")
    page = client.get(url, {"periode": "2027-1"})
    assert [m["refnis"] for m in page.context["requested"]] == ["43005"]
    client.post(url, {"periode": "2027-1", "bron": "requests", "gemeente": ["43005", "44021"]})
    assert list(period.priority_municipalities.values_list("refnis", flat=True)) == ["43005"]
    assert AuditEvent.objects.filter(action="period.priority_added").get().payload == {
        "source": "requests",
        "added": ["43005"],
    }
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"partnership.member_added", "request.filed", "offer.made", "offer.accepted"} <= actions


def test_white_spots_of_the_previous_period_become_priority(municipalities, client):
    period = ensure_period("2027-1")
    client.force_login(make_staff())
    url = reverse("reporting:coverage_priorities")
    page = client.get(url, {"periode": "2027-1"})
    assert len(page.context["white_spots"]) == 285  # nothing reached in 2026-2
    client.post(url, {"periode": "2027-1", "bron": "white_spots", "gemeente": ["44021", "24062"]})
    assert set(period.priority_municipalities.values_list("refnis", flat=True)) == {
        "44021",
        "24062",
    }


def test_incomplete_partnership_is_flagged_until_the_helix_is_there(eeklo_partnership, client):
    partnership, official, lead = eeklo_partnership
    client.force_login(lead)
    url = partnership.get_absolute_url()
    assert "Onvolledig" in client.get(url).content.decode()
    for kind, name in [
        (MemberKind.LOCAL_GOVERNMENT, "Stad Eeklo"),
        (MemberKind.COMPANY, "Bedrijf NV"),
        (MemberKind.EDUCATION, "Scholengroep"),
    ]:
        PartnershipMember.objects.create(
            partnership=partnership,
            kind=kind,
            organisation=name,
            contact_name="C",
            contact_email="c@example.org",
            municipality=municipality("43005") if kind == MemberKind.LOCAL_GOVERNMENT else None,
        )
    page = client.get(url).content.decode()
    assert "Onvolledig" not in page and "Quadruple helix volledig" in page


def test_budget_academies_are_managed_by_the_lead(eeklo_partnership, client):
    partnership, official, lead = eeklo_partnership
    academy = AcademyFactory()
    client.force_login(lead)
    client.post(reverse("partnerships:budget", args=[partnership.pk]), {"academy": academy.pk})
    assert list(partnership.budget_academies.all()) == [academy]
    client.post(
        reverse("partnerships:budget", args=[partnership.pk]),
        {"academy": academy.pk, "action": "remove"},
    )
    assert not partnership.budget_academies.exists()


def test_staff_create_a_partnership_with_region_grant_and_lead(municipalities, client):
    lead = UserFactory(email="lead@regio.example.org")
    academy = AcademyFactory()
    from datetime import date

    from academies.models import Recognition

    Recognition.objects.create(academy=academy, valid_from=date(2024, 1, 1))
    client.force_login(make_staff())
    response = client.post(
        reverse("partnerships_staff:create"),
        {
            "name": "STEM Waasland",
            "lead_academy": academy.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2028-08-31",
            "grant_eur": "200000.00",
            "municipalities": ["46021", "46029"],
            "lead_emails": "lead@regio.example.org",
        },
    )
    assert response.status_code == 302
    from partnerships.models import Partnership

    p = Partnership.objects.get(name="STEM Waasland")
    assert p.grant_cents == 20_000_000 and list(p.leads.all()) == [lead]
    assert p.municipalities.count() == 2
    too_much = client.post(
        reverse("partnerships_staff:create"),
        {"name": "Te veel", "grant_eur": "200000.01"},
    )
    assert too_much.status_code == 200 and "grant_eur" in too_much.context["form"].errors


@pytest.fixture
def _back_to_dutch(settings):
    """The locale middleware leaves the thread's language active after a response: put
    Dutch back so that later tests matching Dutch messages are not affected."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def test_coverage_and_demand_pages_speak_english(eeklo_partnership, client, _back_to_dutch):
    from pathlib import Path

    if not (
        Path(__file__).resolve().parents[2] / "reporting/locale/en/LC_MESSAGES/django.mo"
    ).exists():
        pytest.skip("the catalogues are not compiled (./dev.sh compiles them)")
    partnership, official, lead = eeklo_partnership
    client.force_login(lead)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("reporting:coverage_region", args=[partnership.pk])).content.decode()
    assert "municipalities reached in" in page and "gemeenten bereikt" not in page
    assert "Children (residence)" in page and "Legend" in page
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Incomplete" in page and "Academies in the budget" in page
    page = client.get(reverse("partnerships:requests")).content.decode()
    assert "Requests from municipalities for STEM activities" in page


def test_an_offer_and_its_decision_reach_the_other_side_through_the_message_log(
    eeklo_partnership, django_capture_on_commit_callbacks, settings
):
    from django.core import mail

    from partnerships import services
    from stemnet.models import Delivery, Message, NotificationPreference

    settings.PORTAL_URL = "https://portaal.example.be"
    partnership, official, _lead = eeklo_partnership
    PartnershipMember.objects.create(
        partnership=partnership,
        kind=MemberKind.LOCAL_GOVERNMENT,
        organisation="Stad Eeklo",
        municipality=municipality("43005"),
        contact_name="Dienst Jeugd",
        contact_email=official.email,
        user=official,
    )
    request = MunicipalRequest.objects.create(
        municipality=municipality("43005"),
        requested_by=official,
        stem_domain="digital",
        period_code="2027-1",
        place="Jeugdhuis",
        description="Codeerclub",
    )
    near = AcademyFactory(name="Codeclub Maldegem", municipality=municipality("43010"))
    admin = make_admin(near, email="beheer@maldegem.example.org")
    NotificationPreference.objects.create(user=admin, kind="partnership", delivery=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.make_offer(actor=admin, request=request, academy=near, message="Ja")
    [to_official] = mail.outbox
    assert to_official.to == [official.email]
    assert f"https://portaal.example.be/partnerships/vragen/{request.pk}/" in to_official.body
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_offer(actor=official, offer=offer, accept=True)
    assert len(mail.outbox) == 1  # the admin switched partnership messages off
    logged = Message.objects.get(user=admin)
    assert (logged.kind, logged.status, logged.subject) == (
        "partnership",
        "off",
        "[STEM-academies] Uw aanbod werd aanvaard",
    )
