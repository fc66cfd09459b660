"""Every organisation and recognition URL, walked by every role: anonymous, a member of
another academy, a member, an academy admin and staff. Outside your scope is 404; 403 is
for a role that may see but not act; anonymous visitors are sent to the login page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academies.imports import import_attendance
from academies.models import (
    Academy,
    ApplicationState,
    ImportJob,
    Invitation,
    Membership,
    RecognitionApplication,
    SchoolHoliday,
)
from academies.services import recognition as services
from academies.services.periods import submit_period_report
from tests.factories import (
    CRITERIA,
    ROLES,
    AcademyFactory,
    academy_roles,
    application_in_state,
    make_admin,
    pdf_bytes,
)
from tests.factories.activities import register_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]


LOGIN = "login"  # a redirect to the login page

# (name, method, expected status per role: anonymous, other, member, admin, staff)
# "302" is a redirect somewhere else than the login page (the page did its work).
WALK = [
    ("academies:dashboard", "get", (LOGIN, 200, 200, 200, 302)),
    ("academies:start", "get", (LOGIN, 200, 200, 200, 200)),
    ("academies:register", "get", (LOGIN, 200, 200, 200, 200)),
    ("academies:accept_invitation", "get", (LOGIN, 200, 200, 200, 200)),
    ("academies:detail", "get", (LOGIN, 404, 200, 200, 200)),
    ("academies:edit", "get", (LOGIN, 404, 403, 200, 403)),
    ("academies:edit", "post", (LOGIN, 404, 403, 302, 403)),
    ("academies:members", "get", (LOGIN, 404, 200, 200, 200)),
    ("academies:members", "post", (LOGIN, 404, 403, 302, 403)),
    ("academies:switch", "post", (LOGIN, 404, 302, 302, 404)),
    ("academies:application", "get", (LOGIN, 404, 200, 200, 200)),
    ("academies:application", "post", (LOGIN, 404, 403, 302, 403)),
    ("academies:attachment", "get", (LOGIN, 404, 200, 200, 200)),
    ("academies:attachment_delete", "get", (LOGIN, 404, 403, 200, 403)),
    ("academies:attachment_delete", "post", (LOGIN, 404, 403, 302, 403)),
    ("academies_staff:queue", "get", (LOGIN, 403, 403, 403, 200)),
    ("academies_staff:review", "get", (LOGIN, 403, 403, 403, 200)),
    ("academies_staff:decide", "post", (LOGIN, 403, 403, 403, 302)),
    ("academies_staff:recognition_end_date", "post", (LOGIN, 403, 403, 403, 302)),
    ("academies_staff:holidays", "get", (LOGIN, 403, 403, 403, 200)),
    ("academies_staff:holiday_delete", "get", (LOGIN, 403, 403, 403, 200)),
    ("academies_staff:reports", "get", (LOGIN, 403, 403, 403, 200)),
    ("academies_staff:report_reopen", "get", (LOGIN, 403, 403, 403, 200)),
    # Activities (another area): reading is for members and staff, outsiders get 404.
    ("academies:activities", "get", (LOGIN, 404, 200, 200, 200)),
    ("academies:import", "get", (LOGIN, 404, 200, 200, 403)),
    ("academies:session_all_present", "post", (LOGIN, 404, 302, 302, 403)),
    # An import job's page is for those who may import (its errors name participants).
    ("academies:import_job", "get", (LOGIN, 404, 200, 200, 403)),
]


def _profile_post(academy):
    return {
        "name": academy.name + " (nieuw)",
        "enterprise_number": academy.enterprise_number,
        "legal_form": academy.legal_form,
        "street": academy.street,
        "postal_code": academy.postal_code,
        "email": academy.email,
        "stem_domains": ["science"],
        "min_age": 6,
        "max_age": 14,
    }


@pytest.fixture
def world(municipalities):
    roles = academy_roles()
    academy = roles.academy
    application = application_in_state(ApplicationState.DRAFT, academy)
    attachment = services.add_attachment(
        actor=roles.admin,
        application=application,
        upload=SimpleUploadedFile("verslag.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    # The staff decision walked below acts on a submitted application of another academy,
    # so the application above stays editable for the admin's POST.
    submitted = application_in_state(ApplicationState.SUBMITTED)
    recognised = application_in_state(ApplicationState.RECOGNISED)
    invitation = Invitation.objects.create(academy=AcademyFactory(), email="x@example.org")
    holiday = SchoolHoliday.objects.create(
        name="Herfstvakantie", start_date=date(2026, 10, 26), end_date=date(2026, 11, 1)
    )
    report = submit_period_report(actor=roles.admin, academy=academy, code="2026-1")
    import_attendance(actor=None, academy=academy, rows=register_rows(1, 2, start=date(2026, 9, 5)))
    session = academy.sessions.get()
    job = ImportJob.objects.create(academy=academy, filename="r.csv", status="rejected")
    return (
        roles,
        {
            "academies:accept_invitation": [invitation.token],
            "academies:detail": [academy.pk],
            "academies:edit": [academy.pk],
            "academies:members": [academy.pk],
            "academies:switch": [academy.pk],
            "academies:application": [academy.pk],
            "academies:attachment": [academy.pk, attachment.pk],
            "academies:attachment_delete": [academy.pk, attachment.pk],
            "academies:session_all_present": [academy.pk, session.pk],
            "academies_staff:review": [submitted.pk],
            "academies_staff:decide": [submitted.pk],
            "academies_staff:recognition_end_date": [recognised.recognition.pk],
            "academies_staff:holiday_delete": [holiday.pk],
            "academies_staff:report_reopen": [report.pk],
            "academies:activities": [academy.pk],
            "academies:import": [academy.pk],
            "academies:import_job": [academy.pk, job.pk],
        },
        {
            "academies:edit": _profile_post(academy),
            "academies:members": {"email": "nieuw@example.org", "role": "member"},
            "academies:application": {**CRITERIA, "submit_action": "save"},
            "academies_staff:decide": {"action": "request_changes", "reason": "Meer uitleg graag."},
            "academies_staff:recognition_end_date": {
                "end-valid_until": "2030-12-31",
                "end-reason": "Verlengd.",
            },
        },
    )


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_every_academy_url_answers_each_role_as_expected(client, world, role_index, role):
    roles, args, posts = world
    user = roles.user(role)
    if user:
        client.force_login(user)
    failures = []
    for name, method, expected_per_role in WALK:
        expected = expected_per_role[role_index]
        url = reverse(name, args=args.get(name, []))
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, posts.get(name, {}))
        if response.streaming:
            b"".join(response.streaming_content)  # the test client closes the file at the end
        if expected == LOGIN:
            ok = response.status_code == 302 and response.url.startswith(reverse("account_login"))
        elif expected == 302:
            ok = response.status_code == 302 and not response.url.startswith(
                reverse("account_login")
            )
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append((method, name, expected, response.status_code))
    assert failures == []


def test_the_walk_covers_every_organisation_and_recognition_url():
    from academies.urls import organisation as urls
    from academies.urls import staff as staff_urls

    names = {f"academies:{p.name}" for p in urls.urlpatterns if getattr(p, "name", None)}
    names |= {
        f"academies_staff:{p.name}" for p in staff_urls.urlpatterns if getattr(p, "name", None)
    }
    walked = {name for name, _method, _expected in WALK}
    assert names - walked == set()


def test_refused_requests_change_nothing(client, world):
    roles, args, posts = world
    academy = roles.academy
    before = (
        Academy.objects.get(pk=academy.pk).name,
        Membership.objects.count(),
        Invitation.objects.count(),
        list(RecognitionApplication.objects.values_list("state", flat=True).order_by("pk")),
    )
    for user in (roles.member, roles.other, roles.staff):
        client.force_login(user)
        client.post(reverse("academies:edit", args=[academy.pk]), posts["academies:edit"])
        client.post(reverse("academies:members", args=[academy.pk]), posts["academies:members"])
        client.post(
            reverse("academies:application", args=[academy.pk]),
            {**CRITERIA, "submit_action": "submit"},
        )
    client.force_login(roles.admin)  # an academy admin is not staff
    client.post(
        reverse("academies_staff:decide", args=args["academies_staff:decide"]),
        {"action": "recognise"},
    )
    after = (
        Academy.objects.get(pk=academy.pk).name,
        Membership.objects.count(),
        Invitation.objects.count(),
        list(RecognitionApplication.objects.values_list("state", flat=True).order_by("pk")),
    )
    assert after == before


def test_an_attachment_of_academy_a_is_never_served_to_a_member_of_b(client, municipalities):
    a = academy_roles()
    application = application_in_state(ApplicationState.DRAFT, a.academy)
    attachment = services.add_attachment(
        actor=a.admin,
        application=application,
        upload=SimpleUploadedFile(
            "geheim.pdf", pdf_bytes("Geheim"), content_type="application/pdf"
        ),
    )
    b_admin = a.other
    b_academy = b_admin.memberships.get().academy
    client.force_login(b_admin)
    # Neither through A's URL nor by pairing B's academy with A's attachment id.
    for academy_pk in (a.academy.pk, b_academy.pk):
        url = reverse("academies:attachment", args=[academy_pk, attachment.pk])
        response = client.get(url)
        assert response.status_code == 404
        assert b"Geheim" not in response.content

    client.force_login(a.member)
    response = client.get(reverse("academies:attachment", args=[a.academy.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("Geheim")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_attachments_are_stored_under_a_random_name_outside_any_url(
    client, settings, municipalities
):
    a = academy_roles()
    application = application_in_state(ApplicationState.DRAFT, a.academy)
    attachment = services.add_attachment(
        actor=a.admin,
        application=application,
        upload=SimpleUploadedFile("../../etc/verslag.pdf", pdf_bytes()),
    )
    assert attachment.original_name.endswith("verslag.pdf")
    assert attachment.file.name.startswith("attachments/")
    assert "verslag" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    # Nothing maps the media folder to a URL, not even for the uploader.
    client.force_login(a.admin)
    for prefix in ("/", "/media/"):
        assert client.get(prefix + attachment.file.name).status_code == 404


def test_a_user_only_switches_to_academies_they_belong_to(client, municipalities):
    a = academy_roles()
    second = AcademyFactory(name="Tweede academie")
    make_admin(second)
    Membership.objects.create(user=a.member, academy=second, role="member")
    client.force_login(a.member)
    assert client.post(reverse("academies:switch", args=[second.pk])).status_code == 302
    assert client.get(reverse("academies:dashboard")).context["academy"] == second
    other_academy = a.other.memberships.get().academy
    assert client.post(reverse("academies:switch", args=[other_academy.pk])).status_code == 404
    assert client.get(reverse("academies:dashboard")).context["academy"] == second
