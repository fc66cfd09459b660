"""factory_boy factories and role helpers shared by every test module."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from academies.models import (
    Academy,
    ApplicationState,
    LegalForm,
    MemberRole,
    Membership,
    Recognition,
    RecognitionApplication,
)
from partnerships.models import Partnership
from stemnet.models import Municipality
from stemnet.reference import load_municipalities
from stemnet.roles import act_with_verified_session

PASSWORD = "Stem-Academie-2026!"  # noqa: S105 (test credential)


def ensure_municipalities() -> None:
    """Reference data is loaded once per database (transactional tests flush it)."""
    if not Municipality.objects.exists():
        load_municipalities()


def municipality(refnis: str = "44021") -> Municipality:
    ensure_municipalities()
    return Municipality.objects.get(refnis=refnis)


_kbo_counter = itertools.count(1)


def valid_enterprise_number(seed: int | None = None) -> str:
    """A 10-digit KBO number with a correct mod-97 check: 0 + 7 digits + 2 check digits."""
    base = 2_000_000 + (next(_kbo_counter) if seed is None else seed)
    body = int(f"0{base:07d}")
    return f"0{base:07d}{97 - body % 97:02d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            if extracted is not False:
                EmailAddress.objects.create(
                    user=self, email=self.email, primary=True, verified=True
                )


def enable_totp(user) -> str:
    """Give a user a TOTP authenticator; returns the secret (to compute codes in tests)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_staff(*, mfa: bool = True, **kwargs):
    """A staff account; with ``mfa`` it has TOTP, and the returned object acts as a session
    that passed it (for services and selectors called directly; a client's force_login
    records the second factor in its session, see conftest.PortalClient)."""
    kwargs.setdefault("is_staff", True)  # as grant_staff does (the admin needs it)
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    user.groups.add(group)
    if mfa:
        enable_totp(user)
    return act_with_verified_session(user, mfa)


class AcademyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academy

    name = factory.Sequence(lambda n: f"STEM-academie {n}")
    enterprise_number = factory.LazyFunction(valid_enterprise_number)
    legal_form = LegalForm.VZW
    street = "Kerkstraat 1"
    postal_code = "9000"
    municipality = factory.LazyFunction(lambda: municipality("44021"))
    email = factory.Sequence(lambda n: f"academie{n}@example.org")
    stem_domains = factory.LazyFunction(lambda: ["science", "technology"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    academy = factory.SubFactory(AcademyFactory)
    role = MemberRole.MEMBER


def make_member(academy=None, *, role=MemberRole.MEMBER, **kwargs):
    academy = academy or AcademyFactory()
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, academy=academy, role=role)
    return user


def make_admin(academy=None, **kwargs):
    return make_member(academy, role=MemberRole.ADMIN, **kwargs)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"STEM-partnerschap regio {n}")


def make_partnership_lead(partnership=None, **kwargs):
    partnership = partnership or PartnershipFactory()
    user = UserFactory(**kwargs)
    partnership.leads.add(user)
    return user


# --- Recognition (erkenning) ---------------------------------------------------------------

CRITERIA = {
    "confirms_stem": True,
    "explains_stem": "Robotica, programmeren en proefjes.",
    "confirms_outside_school": True,
    "explains_outside_school": "Op woensdagnamiddag en zaterdag.",
    "confirms_ages": True,
    "explains_ages": "Groepen van 8 tot 14 jaar.",
    "confirms_flanders": True,
    "explains_flanders": "In Gent en omgeving.",
    "motivation": "Wij brengen kinderen al tien jaar in contact met techniek.",
}


class RecognitionApplicationFactory(factory.django.DjangoModelFactory):
    """An application with every criterion confirmed and explained (ready to submit)."""

    class Meta:
        model = RecognitionApplication

    academy = factory.SubFactory(AcademyFactory)
    state = ApplicationState.DRAFT
    confirms_stem = CRITERIA["confirms_stem"]
    explains_stem = CRITERIA["explains_stem"]
    confirms_outside_school = CRITERIA["confirms_outside_school"]
    explains_outside_school = CRITERIA["explains_outside_school"]
    confirms_ages = CRITERIA["confirms_ages"]
    explains_ages = CRITERIA["explains_ages"]
    confirms_flanders = CRITERIA["confirms_flanders"]
    explains_flanders = CRITERIA["explains_flanders"]
    motivation = CRITERIA["motivation"]


def application_in_state(state: str, academy=None, *, since=date(2026, 1, 1)):
    """An application already in ``state`` (with the recognition that state implies)."""
    application = RecognitionApplicationFactory(
        academy=academy or AcademyFactory(),
        state=state,
        submitted_at=None if state == ApplicationState.DRAFT else timezone.now(),
    )
    if state in (ApplicationState.RECOGNISED, ApplicationState.WITHDRAWN):
        Recognition.objects.create(
            academy=application.academy,
            application=application,
            valid_from=since,
            valid_until=since + timedelta(days=30) if state == ApplicationState.WITHDRAWN else None,
        )
    return application


def pdf_bytes(text: str = "Werkingsverslag") -> bytes:
    """A small but real one-page PDF (valid cross-reference table), built by hand."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass
class AcademyRoles:
    """One academy and a user for every role that matters to its pages."""

    academy: Academy
    admin: object
    member: object
    other: object  # a member of another academy
    staff: object

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


ROLES = ("anonymous", "other", "member", "admin", "staff")


def academy_roles(academy=None) -> AcademyRoles:
    academy = academy or AcademyFactory()
    return AcademyRoles(
        academy=academy,
        admin=make_admin(academy),
        member=make_member(academy),
        other=make_admin(AcademyFactory()),
        staff=make_staff(),
    )


def load_reference_data_once(django_db_blocker) -> None:
    """Load the municipalities into the test database outside any test transaction, so a
    module's tests do not reload them one by one (``ensure_municipalities`` then finds them;
    a transactional test that flushes them gets them back the same way)."""
    with django_db_blocker.unblock():
        ensure_municipalities()


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only
