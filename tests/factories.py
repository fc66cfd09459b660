"""factory_boy factories and role helpers shared by every test module."""

import itertools

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from academies.models import Academy, LegalForm, MemberRole, Membership
from partnerships.models import Partnership
from stemnet.models import Municipality
from stemnet.reference import load_municipalities

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
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    user.groups.add(group)
    if mfa:
        enable_totp(user)
    return user


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
