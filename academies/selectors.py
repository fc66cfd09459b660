"""Reads for academies, always scoped to the user (``for_user``)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from stemnet.roles import is_staff_member

from .models import (
    Academy,
    ApplicationState,
    Invitation,
    MemberRole,
    Membership,
    Recognition,
    RecognitionApplication,
)

CURRENT_ACADEMY_SESSION_KEY = "current_academy_id"


def academies_for_user(user):
    """The academies a user may see: all for staff, their own for members, none otherwise."""
    qs = Academy.objects.select_related("municipality")
    if is_staff_member(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(memberships__user=user)


def memberships_of(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("academy").order_by("academy__name")


def open_invitations_for(user):
    """Invitations waiting for one of the user's verified addresses: someone who signed up
    after being invited finds them on their start page, even without the link at hand."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    from allauth.account.models import EmailAddress

    emails = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return (
        Invitation.objects.filter(accepted_at__isnull=True, email__in=emails)
        .exclude(academy__memberships__user=user)
        .select_related("academy")
        .order_by("created_at", "id")
    )


def is_academy_admin(user, academy) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, academy=academy, role=MemberRole.ADMIN).exists()
    )


def current_academy(request):
    """The academy the user is working for: the one chosen in the session, else their first."""
    memberships = memberships_of(request.user)
    chosen = request.session.get(CURRENT_ACADEMY_SESSION_KEY)
    if chosen:
        membership = memberships.filter(academy_id=chosen).first()
        if membership:
            return membership.academy
    membership = memberships.first()
    return membership.academy if membership else None


def current_recognition(academy, on=None) -> Recognition | None:
    """The recognition valid on ``on`` (today by default), the earliest-starting if several."""
    on = on or timezone.localdate()
    return (
        Recognition.objects.filter(academy=academy, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("valid_from", "id")
        .first()
    )


def latest_application(academy) -> RecognitionApplication | None:
    """The academy's most recent application (the one its pages show), with attachments."""
    return academy.applications.prefetch_related("attachments").first()


def recognised_academies(on=None):
    """The public catalogue: academies with a recognition valid on ``on`` (today)."""
    on = on or timezone.localdate()
    valid = Recognition.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    return (
        Academy.objects.filter(pk__in=valid.values("academy_id"))
        .select_related("municipality__province")
        .order_by("name", "id")
    )


QUEUE_OPEN = "open"
QUEUE_ALL = "alle"


def recognition_queue(*, state: str = QUEUE_OPEN, province: str = "", older_than_days=None):
    """Staff review queue: applications that left the academy (never drafts), oldest
    submission first, with everything a row shows in one query."""
    applications = (
        RecognitionApplication.objects.select_related("academy__municipality__province")
        .exclude(state=ApplicationState.DRAFT)
        .order_by("submitted_at", "id")
    )
    if state == QUEUE_OPEN:
        applications = applications.filter(
            state__in=[ApplicationState.SUBMITTED, ApplicationState.RESUBMITTED]
        )
    elif state in ApplicationState.values:
        applications = applications.filter(state=state)
    if province:
        applications = applications.filter(academy__municipality__province_id=province)
    if older_than_days is not None:
        applications = applications.filter(
            submitted_at__lt=timezone.now() - timedelta(days=older_than_days)
        )
    return applications
