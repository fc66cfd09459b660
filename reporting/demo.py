"""Demo data for the local run: the generated demo network and one
account per role. Never used in production code paths."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from academies.demo_network import generate_recent_years
from academies.models import Academy, MemberRole, Membership, Recognition
from academies.selectors.recognition import recognised_academies
from partnerships.models import Partnership
from stemnet.models import Municipality
from stemnet.periods import HalfYear
from stemnet.roles import act_with_verified_session, grant_staff
from subsidies import services as subsidies
from subsidies.models import Period, PeriodStatus

DEMO_PASSWORD = "stem-demo-2026"  # noqa: S105  (printed for the local demo only)
STAFF_EMAIL = "medewerker@vlaio.example.org"
MEMBER_EMAIL = "academie@demo.example.org"
LEAD_EMAIL = "partnerschap@demo.example.org"
MUNICIPALITY_EMAIL = "gemeente@demo.example.org"
# Recent periods are demonstrated with a handful of academies: enough for real amounts and
# letters, few enough that the run command stays fast (letters render synchronously here).
RECENT_ACADEMIES = 10
RECENT_BUDGET_CENTS = 2_400_000  # EUR 24,000 per half year for the demo academies


@dataclass
class DemoAccount:
    role: str
    email: str
    password: str
    totp_secret: str = ""


def _user(email: str):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0]}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _staff_totp(user) -> str:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return _secret(existing)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _secret(authenticator) -> str:
    return decrypt(authenticator.data["secret"])


def _network() -> None:
    """The 2016-like demo network of the generator, once per database."""
    if not Academy.objects.exists():
        call_command("generate_demo_network", scale=1, seed=2016)


def _recognition_states(today, keep) -> None:
    """A few recognitions about to lapse and one withdrawn, as staff meet them in real life
    (academies outside the recent demo set only, so their amounts are unaffected)."""
    others = list(
        recognised_academies(on=today).exclude(pk__in=[a.pk for a in keep]).order_by("id")[:4]
    )
    for days, academy in zip((30, 60, 85), others[:3], strict=False):
        Recognition.objects.filter(academy=academy, valid_until__isnull=True).update(
            valid_until=today + timedelta(days=days)
        )
    for academy in others[3:]:
        Recognition.objects.filter(academy=academy, valid_until__isnull=True).update(
            valid_until=today - timedelta(days=100),
            withdrawn_reason="Geen activiteiten meer sinds de zomer (demo).",
        )


def _recent_periods(staff, today) -> None:
    """The last four half years up to today, in every stage staff meet: the oldest
    calculated, approved and with its letters, the next approved with its letters still to
    send, the previous one closed for reporting, the current one open. Everything goes
    through the real services, so the demo's amounts are real; letters are rendered here,
    synchronously, by the same service the worker runs."""
    current = HalfYear.containing(today)
    closed = current.previous()
    with_letters, approved = closed.previous().previous(), closed.previous()
    if Period.objects.filter(reporting_period__code=with_letters.code).exists():
        return
    academies = list(recognised_academies(on=today).order_by("id")[:RECENT_ACADEMIES])
    generate_recent_years(academies=academies, first=with_letters.start, today=today)
    _recognition_states(today, academies)
    for half in (with_letters, approved):
        period = subsidies.ensure_period(half.code)
        subsidies.update_parameters(
            actor=staff,
            period=period,
            values={"budget_cents": RECENT_BUDGET_CENTS, "academy_cap_cents": 500_000},
            priority_municipalities=[],
        )
        subsidies.transition(actor=staff, period=period, to=PeriodStatus.CLOSED)
        run = subsidies.start_run(actor=staff, period=period, enqueue=False)
        subsidies.execute_run(run.pk)
        period.refresh_from_db()
        subsidies.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        if half == with_letters:
            # Rendered here, synchronously (no worker runs yet); recorded as requested the
            # way send_letters records it, so the period page follows them.
            Period.objects.filter(pk=period.pk).update(letters_requested_at=timezone.now())
            for award_id in run.awards.values_list("pk", flat=True):
                subsidies.render_letter(award_id)
    period = subsidies.ensure_period(closed.code)
    subsidies.update_parameters(
        actor=staff,
        period=period,
        values={"budget_cents": RECENT_BUDGET_CENTS},
        priority_municipalities=[],
    )
    subsidies.transition(actor=staff, period=period, to=PeriodStatus.CLOSED)
    subsidies.ensure_period(current.code)


@transaction.atomic
def setup_demo(today=None) -> list[DemoAccount]:
    today = today or timezone.localdate()
    _network()
    staff = _user(STAFF_EMAIL)
    grant_staff(actor=None, user=staff)
    secret = _staff_totp(staff)
    # The demo's periods are run in the staff member's name, by the operator's command (no
    # web session, so no MFA step to record): as a verified session.
    act_with_verified_session(staff)

    member = _user(MEMBER_EMAIL)
    academy = Academy.objects.order_by("id").first()
    Membership.objects.get_or_create(
        user=member, academy=academy, defaults={"role": MemberRole.ADMIN}
    )

    lead = _user(LEAD_EMAIL)
    partnership, _ = Partnership.objects.get_or_create(
        name="STEM-partnerschap Oost-Vlaanderen", defaults={"lead_academy": academy}
    )
    partnership.municipalities.add(*Municipality.objects.flemish().filter(province="40000"))
    partnership.leads.add(lead)
    _recent_periods(staff, today)

    official = _user(MUNICIPALITY_EMAIL)
    _demo_period(staff)
    _demo_partnership(partnership, academy=academy, official=official, lead=lead)

    return [
        DemoAccount("VLAIO-medewerker", STAFF_EMAIL, DEMO_PASSWORD, secret),
        DemoAccount(f"academielid ({academy.name})", MEMBER_EMAIL, DEMO_PASSWORD),
        DemoAccount("partnerschapsverantwoordelijke", LEAD_EMAIL, DEMO_PASSWORD),
        DemoAccount("lokaal bestuur (Stad Gent)", MUNICIPALITY_EMAIL, DEMO_PASSWORD),
    ]


def _demo_period(staff) -> None:
    """Period 2016-1 calculated and approved (EUR 173,120.32 as in 2019's first period),
    so the coverage map shows awarded amounts; once, and only when there is attendance."""
    from academies.models import Attendance
    from subsidies import services
    from subsidies.models import Period

    if Period.objects.filter(reporting_period__code="2016-1").exists():
        return
    if not Attendance.objects.filter(session__date__year=2016).exists():
        return
    from subsidies.models import YearBudget

    # The year's budget as in 2019 (EUR 500,000), next to that year's first-period amount.
    YearBudget.objects.get_or_create(year=2016, defaults={"budget_cents": 50_000_000})
    period = services.ensure_period("2016-1")
    period.budget_cents = 17_312_032
    period.spread_bonus, period.spread_cap = "0.05", "0.25"
    period.save()
    services.transition(actor=staff, period=period, to="closed")
    run = services.start_run(actor=staff, period=period, enqueue=False)
    services.execute_run(run.pk)
    services.transition(actor=staff, period=Period.objects.get(pk=period.pk), to="approved")


def _demo_partnership(partnership, *, academy, official, lead) -> None:
    """The Oost-Vlaanderen partnership's quadruple helix, its project and two requests of
    Ghent's local government (one answered by the demo academy)."""
    from datetime import date

    from partnerships.models import MemberKind, MunicipalRequest, Offer, PartnershipMember

    if partnership.members.exists():
        return
    partnership.starts_on, partnership.ends_on = date(2016, 9, 1), date(2018, 8, 31)
    partnership.grant_cents = 15_000_000
    partnership.save()
    gent = Municipality.objects.get(refnis="44021")
    eeklo = Municipality.objects.get(refnis="43005")
    members = [
        (MemberKind.LOCAL_GOVERNMENT, "Stad Gent", gent, "Dienst Jeugd", official),
        (MemberKind.LOCAL_GOVERNMENT, "Stad Eeklo", eeklo, "Cultuurdienst", None),
        (MemberKind.COMPANY, "Techniek Gent nv", None, "HR-afdeling", None),
        (MemberKind.KNOWLEDGE, "Hogeschool Oost-Vlaanderen", None, "STEM-cel", None),
        (MemberKind.EDUCATION, "Scholengroep Meetjesland", None, "Coördinator", None),
    ]
    for kind, name, municipality, contact, user in members:
        PartnershipMember.objects.create(
            partnership=partnership,
            kind=kind,
            organisation=name,
            municipality=municipality,
            contact_name=contact,
            contact_email=user.email if user else "info@demo.example.org",
            user=user,
        )
    coding = MunicipalRequest.objects.create(
        municipality=gent,
        requested_by=official,
        stem_domain="digital",
        min_age=10,
        max_age=12,
        period_code="2017-1",
        place="Wijkcentrum Nieuw Gent",
        description="Een codeerclub op woensdagnamiddag voor kinderen uit de wijk.",
    )
    MunicipalRequest.objects.create(
        municipality=eeklo,
        requested_by=lead,
        stem_domain="engineering",
        min_age=8,
        max_age=14,
        period_code="2017-2",
        place="Bibliotheek Eeklo",
        description="Een zomerkamp bruggen en torens bouwen.",
    )
    Offer.objects.create(
        request=coding,
        academy=academy,
        message="Zes woensdagnamiddagen robotica en Scratch, 14–16 uur.",
    )
