"""One session: editing or deleting it, and the attendance grid's cell toggle (htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..eligibility import clock
from ..forms.activities import SessionForm
from ..selectors.activities import (
    attendance_grid,
    is_present,
    participants_of_academy,
    sessions_of_academy,
)
from ..selectors.periods import locked_reason
from ..services import AcademyError
from ..services import activities as services
from .common import academy_or_404, attempt, confirm_page, edit_page


@login_required
def session_edit(request, academy_id, pk):
    academy = academy_or_404(request, academy_id, edit=True)
    session = get_object_or_404(sessions_of_academy(academy), pk=pk)
    back = reverse("academies:series", args=[academy.pk, session.series_id])
    initial = {"date": session.date, "start_time": session.start_time, "end_time": session.end_time}
    form = SessionForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: services.update_session(
                actor=request.user,
                session=session,
                day=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                end_time=form.cleaned_data["end_time"],
            ),
            _("Sessie bijgewerkt."),
        )
    ):
        return redirect(back)
    return edit_page(
        request,
        academy,
        form,
        _("Sessie van %(day)s bewerken") % {"day": session.date.strftime("%d-%m-%Y")},
        back,
        delete_url=reverse("academies:session_delete", args=[academy.pk, session.pk]),
    )


@login_required
def session_delete(request, academy_id, pk):
    academy = academy_or_404(request, academy_id, edit=True)
    session = get_object_or_404(sessions_of_academy(academy), pk=pk)
    back = reverse("academies:series", args=[academy.pk, session.series_id])
    if request.method == "POST":
        try:
            services.delete_session(actor=request.user, session=session)
        except AcademyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Sessie verwijderd."))
        return redirect(back)
    return confirm_page(
        request,
        academy=academy,
        title=_("Sessie verwijderen?"),
        message=ngettext(
            "De sessie van %(day)s %(start)s–%(end)s wordt verwijderd, met haar "
            "%(n)s aanwezigheid. Dit kunt u niet ongedaan maken.",
            "De sessie van %(day)s %(start)s–%(end)s wordt verwijderd, met haar "
            "%(n)s aanwezigheden. Dit kunt u niet ongedaan maken.",
            session.attendance_count,
        )
        % {
            "day": session.date.strftime("%d-%m-%Y"),
            "start": session.start_time.strftime("%H:%M"),
            "end": clock(session.end_time),
            "n": session.attendance_count,
        },
        button=_("Sessie verwijderen"),
        cancel_url=back,
    )


@login_required
@require_POST
def attendance_toggle(request, academy_id, session_id, participant_id):
    """htmx: toggle one cell of the attendance grid; returns the cell."""
    academy = academy_or_404(request, academy_id, edit=True)
    session = get_object_or_404(sessions_of_academy(academy), pk=session_id)
    participant = get_object_or_404(participants_of_academy(academy), pk=participant_id)
    present = request.POST.get("present") == "1"
    error = None
    try:
        services.set_attendance(
            actor=request.user, session=session, participant=participant, present=present
        )
    except AcademyError as refused:
        # Answer 200 so htmx swaps the cell: unchanged, with the reason next to it, and
        # read-only when the refusal is the period lock.
        present = is_present(session, participant)
        error = str(refused)
    response = render(
        request,
        "academies/partials/activities_cell.html",
        {
            "academy": academy,
            "session": session,
            "participant": participant,
            "present": present,
            "locked": error is not None and locked_reason(academy.pk, session.date) is not None,
            "error": error,
        },
    )
    if error is None:
        response["HX-Trigger"] = "attendance-changed"
    return response


@login_required
@require_POST
def session_all_present(request, academy_id, pk):
    """htmx: "Iedereen aanwezig" for one session; returns its column (the header cell, and
    every cell of the column out of band)."""
    academy = academy_or_404(request, academy_id, edit=True)
    session = get_object_or_404(sessions_of_academy(academy), pk=pk)
    message, failed = None, False
    try:
        outcome = services.mark_all_present(actor=request.user, session=session)
    except AcademyError as error:
        message, failed = str(error), True
    else:
        message = ngettext(
            "%(n)s deelnemer aanwezig gezet.", "%(n)s deelnemers aanwezig gezet.", outcome.added
        ) % {"n": outcome.added}
        if outcome.refused:
            failed = True
            message += " " + ngettext(
                "Niet voor %(refs)s: al aanwezig op een sessie die op hetzelfde moment loopt.",
                "Niet voor %(refs)s: al aanwezig op sessies die op hetzelfde moment lopen.",
                len(outcome.refused),
            ) % {"refs": ", ".join(outcome.refused)}
    participants, _sessions, present = attendance_grid(session.series)
    locked = locked_reason(academy.pk, session.date) is not None
    if not request.headers.get("HX-Request"):
        (messages.error if failed else messages.success)(request, message)
        return redirect("academies:series", academy.pk, session.series_id)
    response = render(
        request,
        "academies/partials/activities_all_present.html",
        {
            "academy": academy,
            "session": session,
            "can_edit": True,
            "locked_sessions": {session.pk} if locked else set(),
            "head_message": message,
            "head_error": failed,
            "cells_locked": locked,
            "cells": [(p, (session.pk, p.pk) in present) for p in participants],
        },
    )
    if not locked:
        response["HX-Trigger"] = "attendance-changed"
    return response
