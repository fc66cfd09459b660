"""Demo data for the local run: the generated demo network and one
account per role. Never used in production code paths."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from academies.models import Academy, MemberRole, Membership
from partnerships.models import Partnership
from stemnet.models import Municipality
from stemnet.roles import grant_staff

DEMO_PASSWORD = "stem-demo-2026"  # noqa: S105  (printed for the local demo only)
STAFF_EMAIL = "medewerker@vlaio.example.org"
MEMBER_EMAIL = "academie@demo.example.org"
LEAD_EMAIL = "partnerschap@demo.example.org"


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


@transaction.atomic
def setup_demo() -> list[DemoAccount]:
    _network()
    staff = _user(STAFF_EMAIL)
    grant_staff(actor=None, user=staff)
    secret = _staff_totp(staff)

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

    return [
        DemoAccount("VLAIO-medewerker", STAFF_EMAIL, DEMO_PASSWORD, secret),
        DemoAccount(f"academielid ({academy.name})", MEMBER_EMAIL, DEMO_PASSWORD),
        DemoAccount("partnerschapsverantwoordelijke", LEAD_EMAIL, DEMO_PASSWORD),
    ]
