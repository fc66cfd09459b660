"""Who reaches which partnership, coverage and demand URL, GET and POST: 404 outside
scope, 403 for a role without the action, 302 to the login page for anonymous visitors
(and to the TOTP set-up for staff without it on /staff/ pages), 405 for a wrong method."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from academies.models import MemberRole
from partnerships.models import MemberKind, MunicipalRequest, Offer, PartnershipMember
from subsidies.services import ensure_period
from tests.factories import (
    AcademyFactory,
    PartnershipFactory,
    UserFactory,
    make_member,
    make_partnership_lead,
    make_staff,
    municipality,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_academy",
    "other_member",
    "member",
    "admin",
    "lead",
    "other_lead",
    "municipality",
    "staff_no_mfa",
    "staff",
]


@dataclass
class World:
    users: dict
    partnership: object
    member: object
    request: object
    offer: object


@pytest.fixture
def world(municipalities):
    gent = municipality("44021")
    academy = AcademyFactory(municipality=gent)  # near the request (same municipality)
    far = AcademyFactory(municipality=municipality("71072"))  # Hasselt: not near Eeklo
    partnership = PartnershipFactory()
    partnership.municipalities.add(gent, municipality("43005"))
    other = PartnershipFactory()
    other.municipalities.add(municipality("24062"))
    municipal_user = UserFactory()
    member = PartnershipMember.objects.create(
        partnership=partnership,
        kind=MemberKind.LOCAL_GOVERNMENT,
        organisation="Stad Gent",
        municipality=gent,
        contact_name="Schepen",
        contact_email=municipal_user.email,
        user=municipal_user,
    )
    request = MunicipalRequest.objects.create(
        municipality=gent,
        requested_by=municipal_user,
        stem_domain="technology",
        period_code="2027-1",
        place="Wijkcentrum",
        description="Robotica",
    )
    offering = AcademyFactory(municipality=gent)
    offer = Offer.objects.create(request=request, academy=offering, message="Zes woensdagen")
    ensure_period("2027-1")
    users = {
        "anonymous": None,
        "no_academy": UserFactory(),
        "other_member": make_member(far),
        "member": make_member(academy),
        "admin": make_member(academy, role=MemberRole.ADMIN),
        "lead": make_partnership_lead(partnership),
        "other_lead": make_partnership_lead(other),
        "municipality": municipal_user,
        "staff_no_mfa": make_staff(mfa=False),
        "staff": make_staff(),
    }
    return World(users, partnership, member, request, offer)


def _row(*statuses):
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


# (name, args from the world, method, data, expected per role)
#                       anon no_ac other member admin lead o_lead munic staff0 staff
CASES = [
    (
        "partnerships:home",
        None,
        "get",
        None,
        _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    ("partnerships:home", None, "post", {}, _row(405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    (
        "partnerships:detail",
        "p",
        "get",
        None,
        _row(302, 404, 404, 404, 404, 200, 404, 404, 200, 200),
    ),
    (
        "partnerships:detail",
        "p",
        "post",
        {},
        _row(405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    ),
    (
        "partnerships:add_member",
        "p",
        "get",
        None,
        _row(302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    ),
    (
        "partnerships:add_member",
        "p",
        "post",
        "member",
        _row(302, 404, 404, 404, 404, 302, 404, 404, 302, 302),
    ),
    (
        "partnerships:remove_member",
        "pm",
        "get",
        None,
        _row(302, 404, 404, 404, 404, 200, 404, 404, 200, 200),
    ),
    (
        "partnerships:budget",
        "p",
        "post",
        "budget",
        _row(302, 404, 404, 404, 404, 302, 404, 404, 302, 302),
    ),
    (
        "partnerships_staff:create",
        None,
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "partnerships_staff:create",
        None,
        "post",
        {},
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "partnerships_staff:edit",
        "p",
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "partnerships:requests",
        None,
        "get",
        None,
        _row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    (
        "partnerships:new_request",
        None,
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 200, 200, 200),
    ),
    (
        "partnerships:new_request",
        None,
        "post",
        "request",
        _row(302, 403, 403, 403, 403, 403, 403, 302, 302, 302),
    ),
    (
        "partnerships:request",
        "r",
        "get",
        None,
        _row(302, 404, 404, 200, 200, 200, 404, 200, 200, 200),
    ),
    (
        "partnerships:request",
        "r",
        "post",
        "offer",
        _row(302, 404, 404, 302, 200, 403, 404, 403, 403, 403),
    ),
    (
        "partnerships:decide_offer",
        "o",
        "post",
        {"decision": "decline"},
        _row(302, 404, 404, 403, 403, 403, 404, 302, 403, 403),
    ),
    (
        "partnerships:withdraw_request",
        "r",
        "post",
        {},
        _row(302, 404, 404, 403, 403, 403, 404, 302, 403, 403),
    ),
    (
        "reporting:coverage_region",
        "p",
        "get",
        None,
        _row(302, 404, 404, 404, 404, 200, 404, 404, 200, 200),
    ),
    (
        "reporting:coverage_region",
        "p",
        "post",
        {},
        _row(405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    ),
    (
        "reporting:coverage_region_municipality",
        "pg",
        "get",
        None,
        _row(302, 404, 404, 404, 404, 200, 404, 404, 200, 200),
    ),
    (
        "reporting:coverage_region_csv",
        "p",
        "get",
        None,
        _row(302, 404, 404, 404, 404, 200, 404, 404, 200, 200),
    ),
    (
        "reporting:coverage_region_xlsx",
        "p",
        "get",
        None,
        _row(302, 404, 404, 404, 404, 200, 404, 404, 200, 200),
    ),
    (
        "reporting:coverage_flanders",
        None,
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "reporting:coverage_flanders",
        None,
        "post",
        {},
        _row(405, 405, 405, 405, 405, 405, 405, 405, 302, 405),
    ),
    (
        "reporting:coverage_flanders_municipality",
        "g",
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "reporting:coverage_csv",
        None,
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "reporting:coverage_xlsx",
        None,
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "reporting:coverage_priorities",
        None,
        "get",
        None,
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 200),
    ),
    (
        "reporting:coverage_priorities",
        None,
        "post",
        "priority",
        _row(302, 403, 403, 403, 403, 403, 403, 403, 302, 302),
    ),
]


def _args(world, spec):
    return {
        None: [],
        "p": [world.partnership.pk],
        "pm": [world.partnership.pk, world.member.pk],
        "pg": [world.partnership.pk, "44021"],
        "g": ["44021"],
        "r": [world.request.pk],
        "o": [world.offer.pk],
    }[spec]


def _data(world, role, spec):
    if not isinstance(spec, str):
        return spec
    if spec == "member":
        return {
            "kind": "company",
            "organisation": "Bedrijf",
            "contact_name": "X",
            "contact_email": "x@example.org",
        }
    if spec == "budget":
        return {"academy": world.offer.academy_id}
    if spec == "request":
        return {
            "municipality": "44021",
            "stem_domain": "science",
            "min_age": 8,
            "max_age": 12,
            "period_code": "2027-2",
            "place": "Bibliotheek",
            "description": "Proefjes",
        }
    if spec == "offer":
        # the admin's academy already offered through the member: a form error (200)
        return {"academy": world.users["member"].memberships.get().academy_id, "message": "Ja"}
    if spec == "priority":
        return {"periode": "2027-1", "bron": "requests", "gemeente": ["44021"]}
    raise AssertionError(spec)


@pytest.mark.parametrize(("name", "args", "method", "data", "expected"), CASES)
def test_permission_table(world, client, name, args, method, data, expected):
    url = reverse(name, args=_args(world, args))
    seen = {}
    for role in ROLES:
        client.logout()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, _data(world, role, data) or {})
        seen[role] = response.status_code
    # A staff member whose session did not pass MFA has no staff powers: an outsider like a
    # user without an academy, sent to the MFA step on /staff/ pages. (The table's column
    # for them predates that rule; the rule decides.)
    expected = {
        **expected,
        "staff_no_mfa": 302 if url.startswith("/staff/") else expected["no_academy"],
    }
    assert seen == expected


def test_the_table_covers_every_partnership_demand_and_coverage_url():
    from partnerships import staff_urls, urls
    from reporting import urls as reporting_urls

    names = {f"partnerships:{p.name}" for p in urls.urlpatterns}
    names |= {f"partnerships_staff:{p.name}" for p in staff_urls.urlpatterns}
    names |= {
        f"reporting:{p.name}"
        for p in reporting_urls.urlpatterns
        if getattr(p, "name", "").startswith("coverage")
    }
    assert len(names) == 21
    assert names - {name for name, *_rest in CASES} == set()
