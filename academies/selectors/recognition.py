"""Reads for recognitions and recognition applications."""

from datetime import timedelta

from django.utils import timezone

from ..kind_hours import valid_on
from ..models import Academy, ApplicationState, Recognition, RecognitionApplication


def current_recognition(academy, on=None) -> Recognition | None:
    """The recognition valid on ``on`` (today by default), the earliest-starting if several."""
    on = on or timezone.localdate()
    return (
        Recognition.objects.filter(valid_on(on), academy=academy)
        .order_by("valid_from", "id")
        .first()
    )


def latest_application(academy) -> RecognitionApplication | None:
    """The academy's most recent application (the one its pages show), with attachments."""
    return academy.applications.prefetch_related("attachments").first()


def changes_request(application):
    """The staff's latest request for changes (the transition with its reason) while the
    application waits for them; None otherwise."""
    if application is None or application.state != ApplicationState.CHANGES_REQUESTED:
        return None
    return (
        application.transitions.filter(to_state=ApplicationState.CHANGES_REQUESTED)
        .order_by("-at", "-id")
        .first()
    )


def recognised_academies(on=None):
    """The public catalogue: academies with a recognition valid on ``on`` (today)."""
    on = on or timezone.localdate()
    valid = Recognition.objects.filter(valid_on(on))
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
        # A hundred years back is older than any application (and a huge number would
        # overflow the date arithmetic).
        older_than_days = min(older_than_days, 36_500)
        applications = applications.filter(
            submitted_at__lt=timezone.now() - timedelta(days=older_than_days)
        )
    return applications
