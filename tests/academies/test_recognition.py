"""The recognition workflow: every state × every action, who may act, reasons, history,
e-mails on commit, the staff queue and its query count."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academies.models import (
    Academy,
    ApplicationState,
    ApplicationTransition,
    Recognition,
    RecognitionApplication,
)
from academies.selectors.recognition import current_recognition, recognised_academies
from academies.services import AcademyError
from academies.services import recognition as services
from academies.workflow import ACADEMY, ACTIONS
from stemnet.models import AuditEvent, Municipality
from stemnet.roles import act_with_verified_session
from tests.factories import (
    CRITERIA,
    AcademyFactory,
    academy_roles,
    application_in_state,
    make_admin,
    make_member,
    make_staff,
    valid_enterprise_number,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]


S = ApplicationState
# Written out by hand (not derived from the workflow table) so a wrong table fails here.
LEGAL = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "request_changes"): S.CHANGES_REQUESTED,
    (S.SUBMITTED, "recognise"): S.RECOGNISED,
    (S.SUBMITTED, "refuse"): S.REFUSED,
    (S.CHANGES_REQUESTED, "resubmit"): S.RESUBMITTED,
    (S.RESUBMITTED, "request_changes"): S.CHANGES_REQUESTED,
    (S.RESUBMITTED, "recognise"): S.RECOGNISED,
    (S.RESUBMITTED, "refuse"): S.REFUSED,
    (S.RECOGNISED, "withdraw"): S.WITHDRAWN,
}
ALL_PAIRS = [(state, action) for state in S.values for action in ACTIONS]
STAFF_ACTIONS = [code for code, a in ACTIONS.items() if a.role != ACADEMY]
REASON = "Graag meer uitleg over de leeftijden."


def _snapshot(application):
    application.refresh_from_db()
    return (
        application.state,
        application.submitted_at,
        application.decided_at,
        ApplicationTransition.objects.filter(application=application).count(),
        list(Recognition.objects.filter(academy=application.academy).values_list("valid_until")),
        AuditEvent.objects.filter(action__startswith="recognition.").count(),
    )


@pytest.fixture
def people(municipalities):
    return academy_roles()


def _actor(people, action):
    return people.admin if ACTIONS[action].role == ACADEMY else people.staff


def test_the_workflow_table_is_exactly_the_legal_table():
    table = {(s, code): a.target for code, a in ACTIONS.items() for s in a.sources}
    assert table == LEGAL


@pytest.mark.parametrize("state,action", ALL_PAIRS)
def test_every_state_and_action(
    people, state, action, django_capture_on_commit_callbacks, mailoutbox
):
    application = application_in_state(state, people.academy)
    before = _snapshot(application)
    actor = _actor(people, action)
    with django_capture_on_commit_callbacks(execute=True):
        if (state, action) in LEGAL:
            result = services.take_action(
                actor=actor, application=application, action=action, reason=REASON
            )
        else:
            with pytest.raises(AcademyError) as refused:
                services.take_action(
                    actor=actor, application=application, action=action, reason=REASON
                )
    if (state, action) not in LEGAL:
        # A clear message naming the action and the current state; nothing changed.
        assert str(S(state).label) in str(refused.value)
        assert str(ACTIONS[action].label) in str(refused.value)
        assert _snapshot(application) == before
        assert mailoutbox == []
        return
    target = LEGAL[(state, action)]
    assert result.state == target
    application.refresh_from_db()
    assert application.state == target
    step = application.transitions.get()
    assert (step.from_state, step.to_state, step.actor, step.reason) == (
        state,
        target,
        actor,
        REASON,
    )
    event = AuditEvent.objects.get(action=f"recognition.{action}")
    assert event.actor == actor and event.object_id == str(application.pk)
    assert event.payload["from"] == state and event.payload["to"] == target
    # One e-mail, to the academy's admins only (not to plain members).
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [people.admin.email]
    assert str(S(target).label) in mailoutbox[0].subject


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("who", ["admin", "member"])
@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_an_academy_never_decides_its_own_application(people, state, who, action, mailoutbox):
    application = application_in_state(state, people.academy)
    before = _snapshot(application)
    with pytest.raises(AcademyError, match="Enkel VLAIO-medewerkers beslissen"):
        services.take_action(
            actor=getattr(people, who), application=application, action=action, reason=REASON
        )
    assert _snapshot(application) == before
    assert mailoutbox == []


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_staff_who_are_members_of_the_academy_do_not_decide_for_it(people, action):
    application = application_in_state(S.SUBMITTED, people.academy)
    insider = make_member(people.academy)
    insider.groups.set(people.staff.groups.all())  # VLAIO staff and a member of the academy
    act_with_verified_session(insider)  # acting with staff powers (a session that passed MFA)
    before = _snapshot(application)
    with pytest.raises(AcademyError, match="lid van deze academie"):
        services.take_action(actor=insider, application=application, action=action, reason="x")
    assert _snapshot(application) == before


@pytest.mark.parametrize("action", ["submit", "resubmit"])
def test_plain_members_and_staff_do_not_submit(people, action):
    state = S.DRAFT if action == "submit" else S.CHANGES_REQUESTED
    application = application_in_state(state, people.academy)
    before = _snapshot(application)
    for actor in (people.member, people.staff, people.other):
        with pytest.raises(AcademyError, match="beheerder van de academie"):
            services.take_action(actor=actor, application=application, action=action)
    assert _snapshot(application) == before


@pytest.mark.parametrize(
    "state,action",
    [
        (S.SUBMITTED, "request_changes"),
        (S.RESUBMITTED, "refuse"),
        (S.RECOGNISED, "withdraw"),
    ],
)
def test_a_reason_is_required_for_changes_refusal_and_withdrawal(people, state, action):
    application = application_in_state(state, people.academy)
    before = _snapshot(application)
    with pytest.raises(AcademyError, match="Geef een reden op"):
        services.take_action(actor=people.staff, application=application, action=action, reason=" ")
    assert _snapshot(application) == before


def test_submitting_needs_every_criterion_and_a_motivation(people):
    application = application_in_state(S.DRAFT, people.academy)
    application.confirms_ages = False
    application.motivation = ""
    application.save()
    with pytest.raises(AcademyError, match="5 tot 18 jaar"):
        services.take_action(actor=people.admin, application=application, action="submit")
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_recognition_starts_on_the_chosen_date_and_withdrawal_ends_it(people):
    application = application_in_state(S.SUBMITTED, people.academy)
    services.take_action(
        actor=people.staff,
        application=application,
        action="recognise",
        valid_from=date(2026, 2, 1),
    )
    recognition = Recognition.objects.get(academy=people.academy)
    # A first recognition is provisional: one year from its start.
    assert (recognition.valid_from, recognition.valid_until) == (
        date(2026, 2, 1),
        date(2027, 1, 31),
    )
    assert current_recognition(people.academy, on=date(2026, 3, 1)) == recognition
    assert people.academy in recognised_academies(on=date(2026, 3, 1))

    with pytest.raises(AcademyError, match="voor de start"):
        services.take_action(
            actor=people.staff,
            application=application,
            action="withdraw",
            reason="Geen activiteiten meer.",
            valid_until=date(2026, 1, 1),
        )
    services.take_action(
        actor=people.staff,
        application=application,
        action="withdraw",
        reason="Geen activiteiten meer.",
        valid_until=date(2026, 6, 30),
    )
    recognition.refresh_from_db()
    assert recognition.valid_until == date(2026, 6, 30)
    assert recognition.withdrawn_reason == "Geen activiteiten meer."
    assert current_recognition(people.academy, on=date(2026, 7, 1)) is None
    assert people.academy not in recognised_academies(on=date(2026, 7, 1))


def test_e_mails_leave_only_when_the_transition_is_committed(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    application = application_in_state(S.SUBMITTED, people.academy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.take_action(actor=people.staff, application=application, action="recognise")
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    assert "erkend sinds" in mailoutbox[0].body


def test_one_application_in_progress_per_academy(people):
    application_in_state(S.SUBMITTED, people.academy)
    with pytest.raises(AcademyError, match="Er loopt al een aanvraag"):
        services.create_application(actor=people.admin, academy=people.academy, **CRITERIA)
    assert people.academy.applications.count() == 1


def test_after_a_refusal_the_academy_can_apply_again(client, people):
    refused = application_in_state(S.REFUSED, people.academy)
    client.force_login(people.admin)
    url = reverse("academies:application", args=[people.academy.pk])
    assert client.get(url).context["editable"] is True
    response = client.post(url, {**CRITERIA, "submit_action": "submit"})
    assert response.status_code == 302
    newest = people.academy.applications.exclude(pk=refused.pk).get()
    assert newest.state == S.SUBMITTED
    refused.refresh_from_db()
    assert refused.state == S.REFUSED


# --- Through the pages -----------------------------------------------------------------


def test_staff_illegal_decision_in_the_page_shows_the_message_and_changes_nothing(client, people):
    application = application_in_state(S.DRAFT, people.academy)
    client.force_login(people.staff)
    response = client.post(
        reverse("academies_staff:decide", args=[application.pk]),
        {"action": "recognise", "reason": "Mooi project."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "&#x27;Erkennen&#x27; kan niet bij een aanvraag met status &#x27;Concept&#x27;" in body
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert not Recognition.objects.exists()


def test_an_illegal_decision_keeps_what_staff_typed(client, people):
    application = application_in_state(S.SUBMITTED, people.academy)
    client.force_login(people.staff)
    response = client.post(
        reverse("academies_staff:decide", args=[application.pk]),
        {"action": "withdraw", "reason": "Mooi project, maar te vroeg."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "kan niet bij een aanvraag met status &#x27;Ingediend&#x27;" in body
    assert "Mooi project, maar te vroeg." in body
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_refusal_without_reason_in_the_page_is_refused(client, people):
    application = application_in_state(S.SUBMITTED, people.academy)
    client.force_login(people.staff)
    response = client.post(
        reverse("academies_staff:decide", args=[application.pk]), {"action": "refuse"}
    )
    assert response.status_code == 400
    assert "Geef een reden op." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_the_academy_sees_its_state_and_history_with_vlaio_as_decider(client, people):
    application = application_in_state(S.SUBMITTED, people.academy)
    services.take_action(
        actor=people.staff, application=application, action="request_changes", reason=REASON
    )
    client.force_login(people.member)
    response = client.get(reverse("academies:application", args=[people.academy.pk]))
    body = response.content.decode()
    assert "Aanpassingen gevraagd" in body
    assert REASON in body
    assert "VLAIO" in body
    assert people.staff.email not in body  # staff names stay internal


def test_staff_review_page_shows_history_and_the_possible_decisions(client, people):
    application = application_in_state(S.RESUBMITTED, people.academy)
    ApplicationTransition.objects.create(
        application=application,
        from_state=S.SUBMITTED,
        to_state=S.CHANGES_REQUESTED,
        actor=people.staff,
        reason=REASON,
    )
    client.force_login(people.staff)
    response = client.get(reverse("academies_staff:review", args=[application.pk]))
    assert [a.code for a in response.context["actions"]] == [
        "request_changes",
        "recognise",
        "refuse",
    ]
    assert REASON in response.content.decode()


# --- The queue ------------------------------------------------------------------------------


def _bulk_applications(n: int, municipalities_cycle):
    academies = Academy.objects.bulk_create(
        [
            Academy(
                name=f"Academie {i:04d}",
                enterprise_number=valid_enterprise_number(500_000 + i),
                legal_form="vzw",
                street="Dorpsstraat 1",
                postal_code="9000",
                municipality=municipalities_cycle[i % len(municipalities_cycle)],
                email=f"a{i}@example.org",
                stem_domains=["science"],
            )
            for i in range(n)
        ]
    )
    now = timezone.now()
    states = [S.SUBMITTED, S.RESUBMITTED, S.CHANGES_REQUESTED, S.RECOGNISED]
    RecognitionApplication.objects.bulk_create(
        [
            RecognitionApplication(
                academy=academy,
                state=states[i % len(states)],
                submitted_at=now - timedelta(days=i % 90),
                **CRITERIA,
            )
            for i, academy in enumerate(academies)
        ]
    )


def test_the_queue_of_1300_applications_renders_in_a_constant_number_of_queries(
    client, municipalities, django_assert_max_num_queries
):
    places = list(Municipality.objects.flemish().order_by("refnis")[:40])
    _bulk_applications(1300, places)
    staff = make_staff()
    client.force_login(staff)
    url = reverse("academies_staff:queue")
    for params in ({}, {"status": "alle"}, {"status": "alle", "pagina": "13"}):
        with django_assert_max_num_queries(
            8
        ):  # 7 today: session, user, staff, MFA, count, provinces, rows
            response = client.get(url, params)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 1300


def test_the_queue_filters_by_state_province_and_age(client, municipalities):
    gent, brugge = (
        Municipality.objects.get(refnis="44021"),
        Municipality.objects.get(refnis="31005"),
    )
    now = timezone.now()
    old_gent = application_in_state(S.SUBMITTED, AcademyFactory(municipality=gent))
    old_gent.submitted_at = now - timedelta(days=40)
    old_gent.save()
    new_brugge = application_in_state(S.RESUBMITTED, AcademyFactory(municipality=brugge))
    recognised = application_in_state(S.RECOGNISED, AcademyFactory(municipality=gent))
    draft = application_in_state(S.DRAFT, AcademyFactory(municipality=gent))
    client.force_login(make_staff())
    url = reverse("academies_staff:queue")

    def shown(**params):
        return set(client.get(url, params).context["page"].object_list)

    assert shown() == {old_gent, new_brugge}  # to decide: (re)submitted
    assert shown(status="alle") == {old_gent, new_brugge, recognised}  # never drafts
    for status in ("draft", "alle", "", "recognised"):  # a draft never leaves the academy
        assert draft not in shown(status=status)
    assert shown(status="recognised") == {recognised}
    assert shown(provincie=gent.province_id) == {old_gent}
    assert shown(provincie=brugge.province_id) == {new_brugge}
    assert shown(ouder_dan="30") == {old_gent}
    assert shown(status="alle", provincie=gent.province_id) == {old_gent, recognised}


def test_every_step_mails_all_admins_of_the_academy_and_no_one_else(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    second_admin = make_admin(people.academy)
    application = application_in_state(S.DRAFT, people.academy)
    steps = [
        (people.admin, "submit"),
        (people.staff, "request_changes"),
        (people.admin, "resubmit"),
        (people.staff, "recognise"),
    ]
    for actor, action in steps:
        with django_capture_on_commit_callbacks(execute=True):
            services.take_action(actor=actor, application=application, action=action, reason="r")
    # One message per admin (each chose how to receive them; no admin sees the others'
    # addresses), each step once.
    assert len(mailoutbox) == 2 * len(steps)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people.admin.email, second_admin.email] * len(steps)
    )
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert [m.subject for m in mailoutbox][::2] == [
        "[STEM-academies] Erkenningsaanvraag: Ingediend",
        "[STEM-academies] Erkenningsaanvraag: Aanpassingen gevraagd",
        "[STEM-academies] Erkenningsaanvraag: Opnieuw ingediend",
        "[STEM-academies] Erkenningsaanvraag: Erkend",
    ]


def test_a_decision_without_a_chosen_action_is_refused_visibly(client, people):
    application = application_in_state(S.SUBMITTED, people.academy)
    client.force_login(people.staff)
    response = client.post(
        reverse("academies_staff:decide", args=[application.pk]), {"reason": "?"}
    )
    assert response.status_code == 400
    assert "Kies een beslissing." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_staff_withdraw_a_recognition_from_the_review_page(client, people):
    application = application_in_state(S.RECOGNISED, people.academy, since=date(2025, 1, 1))
    client.force_login(people.staff)
    url = reverse("academies_staff:review", args=[application.pk])
    page = client.get(url)
    assert [a.code for a in page.context["actions"]] == ["withdraw"]
    assert 'name="valid_until"' in page.content.decode()
    response = client.post(
        reverse("academies_staff:decide", args=[application.pk]),
        {"action": "withdraw", "reason": "Geen activiteiten meer.", "valid_until": "2025-12-31"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert application.recognition.valid_until == date(2025, 12, 31)
    assert people.academy not in recognised_academies()
    client.force_login(people.admin)
    body = client.get(reverse("academies:dashboard")).content.decode()
    assert "erkend sinds" not in body
    assert "Erkenning ingetrokken" in body


def test_a_provisional_recognition_has_an_end_date_and_lapses(client, people):
    application = application_in_state(S.SUBMITTED, people.academy)
    with pytest.raises(AcademyError, match="voor de start"):
        services.take_action(
            actor=people.staff,
            application=application,
            action="recognise",
            valid_from=date(2026, 1, 1),
            valid_until=date(2025, 12, 31),
        )
    assert not Recognition.objects.exists()
    client.force_login(people.staff)
    response = client.post(
        reverse("academies_staff:decide", args=[application.pk]),
        {"action": "recognise", "valid_from": "2026-01-01", "valid_until": "2026-12-31"},
    )
    assert response.status_code == 302
    recognition = Recognition.objects.get()
    assert (recognition.valid_from, recognition.valid_until) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert AuditEvent.objects.get(action="recognition.recognise").payload["valid_until"] == (
        "2026-12-31"
    )
    assert current_recognition(people.academy, on=date(2026, 12, 31)) == recognition
    assert current_recognition(people.academy, on=date(2027, 1, 1)) is None


def test_an_application_has_at_most_ten_attachments(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    application = application_in_state(S.DRAFT, people.academy)
    for i in range(services.MAX_ATTACHMENTS):
        services.add_attachment(
            actor=people.admin,
            application=application,
            upload=SimpleUploadedFile(f"b{i}.pdf", pdf_bytes()),
        )
    with pytest.raises(AcademyError, match="hoogstens 10 bijlagen"):
        services.add_attachment(
            actor=people.admin,
            application=application,
            upload=SimpleUploadedFile("te-veel.pdf", pdf_bytes()),
        )
    assert application.attachments.count() == services.MAX_ATTACHMENTS
