"""Registering an academy and its profile (KBO number, IBAN, postal code), invitations, and
the application form's attachment checks: clear Dutch errors on the field, nothing typed lost."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academies.models import Academy, Attachment, Invitation, MemberRole, Membership
from academies.services import AcademyError
from academies.services import organisation as org_services
from academies.services.recognition import MAX_ATTACHMENT_BYTES
from stemnet.models import AuditEvent
from tests.factories import (
    CRITERIA,
    AcademyFactory,
    UserFactory,
    academy_roles,
    make_admin,
    pdf_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]


VALID = {
    "name": "Techniekacademie Gent",
    "enterprise_number": "BE 0403.170.701",
    "legal_form": "vzw",
    "street": "Sint-Pietersnieuwstraat 33",
    "postal_code": "9000",
    "email": "info@techniek-gent.example.org",
    "phone": "09 123 45 67",
    "website": "techniek-gent.example.org",
    "stem_domains": ["science", "engineering"],
    "min_age": "8",
    "max_age": "14",
    "iban": "be71 0961 2345 6769",
    "public_description": "Elke zaterdag robots bouwen.",
}


def _field_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_registering_normalises_numbers_and_resolves_the_municipality(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("academies:register"), VALID)
    assert response.status_code == 302
    academy = Academy.objects.get()
    assert academy.enterprise_number == "0403170701"
    assert academy.iban == "BE71096123456769"
    assert academy.municipality.refnis == "44021"  # 9000 is Gent
    assert academy.stem_domains == ["science", "engineering"]
    assert academy.website == "https://techniek-gent.example.org"
    assert Membership.objects.get(academy=academy).user == user
    assert Membership.objects.get(academy=academy).role == MemberRole.ADMIN
    assert AuditEvent.objects.filter(action="academy.registered").count() == 1
    assert response.url == reverse("academies:application", args=[academy.pk])


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("enterprise_number", "0403.170.702", "Dit is geen geldig ondernemingsnummer"),
        ("enterprise_number", "12345", "Dit is geen geldig ondernemingsnummer"),
        ("iban", "BE71 0961 2345 6760", "Dit is geen geldig IBAN-rekeningnummer"),
        ("iban", "NL00 ABCD 0000 0000 00", "Dit is geen geldig IBAN-rekeningnummer"),
        ("postal_code", "9999", "Onbekende Belgische postcode"),
        ("max_age", "4", "De maximumleeftijd ligt onder de minimumleeftijd"),
    ],
)
def test_invalid_values_get_a_dutch_error_on_their_field_and_keep_the_rest(
    client, field, value, message
):
    client.force_login(UserFactory())
    response = client.post(reverse("academies:register"), {**VALID, field: value})
    assert response.status_code == 200
    assert not Academy.objects.exists()
    errors = _field_errors(response, field)
    assert len(errors) == 1 and errors[0].startswith(message)
    # Only that field is wrong, and the page still shows everything that was typed.
    assert set(response.context["form"].errors) == {field}
    body = response.content.decode()
    assert message in body
    for name in ("name", "street", "email", "phone", "public_description"):
        assert VALID[name] in body
    assert f'value="{value}"' in body
    assert 'value="engineering" ' in body and "checked" in body


def test_a_taken_enterprise_number_is_refused_on_the_field(client):
    AcademyFactory(enterprise_number="0403170701")
    client.force_login(UserFactory())
    response = client.post(reverse("academies:register"), VALID)
    assert _field_errors(response, "enterprise_number") == [
        "Er is al een academie met dit ondernemingsnummer."
    ]


def test_a_postal_code_of_several_municipalities_asks_which_one(client):
    from django.db.models import Count

    from stemnet.models import PostalCode

    shared = (
        PostalCode.objects.filter(municipality__successor__isnull=True)
        .values("code")
        .annotate(n=Count("municipality", distinct=True))
        .filter(n__gt=1)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    if shared is None:
        pytest.skip("every postal code belongs to one municipality in this data set")
    client.force_login(UserFactory())
    response = client.post(reverse("academies:register"), {**VALID, "postal_code": shared})
    assert _field_errors(response, "municipality")[0].startswith("Kies de gemeente")
    choice = PostalCode.objects.filter(code=shared).first().municipality
    response = client.post(
        reverse("academies:register"),
        {**VALID, "postal_code": shared, "municipality": choice.pk},
    )
    assert response.status_code == 302
    assert Academy.objects.get().municipality == choice


def test_the_admin_edits_the_profile_and_the_change_is_audited(client):
    roles = academy_roles()
    client.force_login(roles.admin)
    data = {**VALID, "enterprise_number": roles.academy.enterprise_number, "name": "Nieuwe naam"}
    response = client.post(reverse("academies:edit", args=[roles.academy.pk]), data)
    assert response.status_code == 302
    roles.academy.refresh_from_db()
    assert roles.academy.name == "Nieuwe naam"
    event = AuditEvent.objects.get(action="academy.updated")
    assert event.payload["name"] == "Nieuwe naam"


# --- Attachments ---------------------------------------------------------------------------


def _application_post(upload):
    return {**CRITERIA, "submit_action": "save", "attachment": upload}


@pytest.mark.parametrize(
    "upload,message",
    [
        (
            lambda: SimpleUploadedFile(
                "groot.pdf", pdf_bytes() + b"0" * MAX_ATTACHMENT_BYTES, "application/pdf"
            ),
            "Een bijlage mag hoogstens 5 MB groot zijn.",
        ),
        (
            lambda: SimpleUploadedFile("verslag.docx", b"PK\x03\x04 word", "application/pdf"),
            "Enkel PDF-, PNG- of JPEG-bestanden zijn toegelaten.",
        ),
        (
            # A name and a declared type are not enough: the content must be a PDF or image.
            lambda: SimpleUploadedFile("verslag.pdf", b"<html>nope</html>", "application/pdf"),
            "Enkel PDF-, PNG- of JPEG-bestanden zijn toegelaten.",
        ),
    ],
    ids=["oversized", "word-file", "html-named-pdf"],
)
def test_bad_attachments_get_a_dutch_error_and_the_typed_application_stays(client, upload, message):
    roles = academy_roles()
    client.force_login(roles.admin)
    url = reverse("academies:application", args=[roles.academy.pk])
    response = client.post(url, _application_post(upload()))
    assert response.status_code == 200
    assert _field_errors(response, "attachment") == [message]
    assert set(response.context["form"].errors) == {"attachment"}
    body = response.content.decode()
    assert message in body
    assert CRITERIA["motivation"] in body and CRITERIA["explains_ages"] in body
    assert not roles.academy.applications.exists()
    assert not Attachment.objects.exists()


def test_a_pdf_attachment_is_stored_with_its_real_type(client):
    roles = academy_roles()
    client.force_login(roles.admin)
    url = reverse("academies:application", args=[roles.academy.pk])
    upload = SimpleUploadedFile("verslag.pdf", pdf_bytes(), "application/octet-stream")
    assert client.post(url, _application_post(upload)).status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("verslag.pdf", "application/pdf")
    assert attachment.size == len(pdf_bytes())
    assert attachment.application.academy == roles.academy


def test_the_service_refuses_bad_attachments_too(client):
    roles = academy_roles()
    from academies.services import recognition as services
    from tests.factories import application_in_state

    application = application_in_state("draft", roles.academy)
    with pytest.raises(AcademyError, match="Enkel PDF"):
        services.add_attachment(
            actor=roles.admin,
            application=application,
            upload=SimpleUploadedFile("x.pdf", b"GIF89a"),
        )
    with pytest.raises(AcademyError, match="beheerder"):
        services.add_attachment(
            actor=roles.member,
            application=application,
            upload=SimpleUploadedFile("x.pdf", pdf_bytes()),
        )
    assert not Attachment.objects.exists()


# --- Members and invitations ----------------------------------------------------------------


def test_an_admin_invites_a_colleague_who_joins_by_the_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    roles = academy_roles()
    client.force_login(roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("academies:members", args=[roles.academy.pk]),
            {"email": "Collega@Example.org", "role": "admin"},
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["collega@example.org"]]
    path = re.search(r"https?://[^/\s]+(/academies/uitnodiging/[^\s]+/)", mailoutbox[0].body)[1]

    colleague = UserFactory(email="collega@example.org")
    client.force_login(colleague)
    assert roles.academy.name in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(user=colleague, academy=roles.academy).role == MemberRole.ADMIN
    assert client.get(reverse("academies:dashboard")).context["academy"] == roles.academy
    # The link works once.
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=colleague).count() == 1


def test_an_invitation_is_only_for_the_invited_address(client):
    roles = academy_roles()
    invitation = org_services.invite(
        actor=roles.admin,
        academy=roles.academy,
        email="juist@example.org",
        role="member",
        accept_url=lambda token: token,
    )
    stranger = UserFactory(email="fout@example.org")
    with pytest.raises(AcademyError, match="juist@example.org"):
        org_services.accept_invitation(actor=stranger, token=invitation.token)
    assert not Membership.objects.filter(user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_members_cannot_invite_and_doubles_are_refused(client):
    roles = academy_roles()
    with pytest.raises(AcademyError, match="beheerder"):
        org_services.invite(
            actor=roles.member,
            academy=roles.academy,
            email="x@example.org",
            role="member",
            accept_url=str,
        )
    client.force_login(roles.admin)
    url = reverse("academies:members", args=[roles.academy.pk])
    response = client.post(url, {"email": roles.member.email, "role": "member"})
    assert _field_errors(response, "email") == [
        f"{roles.member.email} is al lid van deze academie."
    ]
    client.post(url, {"email": "nieuw@example.org", "role": "member"})
    response = client.post(url, {"email": "nieuw@example.org", "role": "member"})
    assert _field_errors(response, "email") == ["nieuw@example.org is al uitgenodigd."]
    assert Invitation.objects.count() == 1


def test_a_user_of_two_academies_switches_between_them(client):
    first = academy_roles()
    second = AcademyFactory(name="Zweede academie")
    make_admin(second, email="tweede-admin@example.org")
    Membership.objects.create(user=first.admin, academy=second, role=MemberRole.MEMBER)
    client.force_login(first.admin)
    page = client.get(reverse("academies:dashboard"))
    assert page.context["academy"] == first.academy
    assert "Overschakelen naar Zweede academie" in page.content.decode()
    client.post(reverse("academies:switch", args=[second.pk]))
    page = client.get(reverse("academies:dashboard"))
    assert page.context["academy"] == second
    assert page.context["can_manage"] is False  # a plain member there


def test_someone_invited_before_signing_up_finds_the_invitation_on_the_start_page(client):
    roles = academy_roles()
    invitation = org_services.invite(
        actor=roles.admin,
        academy=roles.academy,
        email="later@example.org",
        role="member",
        accept_url=str,
    )
    newcomer = UserFactory(email="later@example.org")
    client.force_login(newcomer)
    response = client.get(reverse("academies:start"))
    assert list(response.context["invitations"]) == [invitation]
    link = reverse("academies:accept_invitation", args=[invitation.token])
    assert link in response.content.decode()
    client.post(link)
    assert Membership.objects.filter(user=newcomer, academy=roles.academy).exists()
    assert list(client.get(reverse("academies:dashboard")).context["invitations"]) == []


def test_an_unverified_address_sees_no_invitations(client):
    roles = academy_roles()
    org_services.invite(
        actor=roles.admin,
        academy=roles.academy,
        email="onbevestigd@example.org",
        role="member",
        accept_url=str,
    )
    client.force_login(UserFactory(email="onbevestigd@example.org", verified=False))
    assert list(client.get(reverse("academies:start")).context["invitations"]) == []


def test_the_profile_page_shows_the_kbo_number_as_people_write_it(client):
    roles = academy_roles(AcademyFactory(enterprise_number="0403170701"))
    client.force_login(roles.member)
    body = client.get(reverse("academies:detail", args=[roles.academy.pk])).content.decode()
    assert "0403.170.701" in body
    assert "Profiel bewerken" not in body  # a plain member cannot edit
