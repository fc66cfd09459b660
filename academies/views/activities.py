"""Academy pages for activities, series, sessions, attendance, imports and periods."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.periods import HalfYear

from ..forms_activities import (
    ActivityEditForm,
    ActivityFilterForm,
    ActivityForm,
    CopyParticipantsForm,
    ImportForm,
    ParticipantEditForm,
    ParticipantForm,
    SeriesEditForm,
    SeriesForm,
    SessionForm,
    SubmitReportForm,
)
from ..imports import ImportRejected, export_file, import_attendance, read_file
from ..models import Participant, PeriodReport, Series, Session
from ..permissions import can_edit_academy_data
from ..selectors import academies_for_user
from ..selectors_activities import (
    activities_of,
    attendance_grid,
    period_summary,
    series_of,
    sessions_in_period,
)
from ..services import AcademyError
from ..services import activities as services
from ..services.periods import get_or_create_reporting_period, submit_period_report


def _academy(request, academy_id, *, edit=False):
    academy = get_object_or_404(academies_for_user(request.user), pk=academy_id)
    if edit and not can_edit_academy_data(request.user, academy):
        raise PermissionDenied
    return academy


@login_required
def activity_list(request, academy_id):
    academy = _academy(request, academy_id)
    form = ActivityForm(request.POST or None, prefix="new")
    if request.method == "POST":
        _academy(request, academy_id, edit=True)
        if form.is_valid():
            try:
                activity = services.create_activity(
                    actor=request.user, academy=academy, **form.cleaned_data
                )
            except AcademyError as error:
                form.add_error("code", str(error))
            else:
                messages.success(request, _("Activiteit '%(t)s' aangemaakt.") % {"t": activity})
                return redirect("academies:activity", academy.pk, activity.pk)
    filters = ActivityFilterForm(request.GET or None)
    search = fmt = ""
    if filters.is_valid():
        search, fmt = filters.cleaned_data["q"], filters.cleaned_data["vorm"]
    activities = activities_of(academy, search=search, format=fmt).order_by("title", "id")
    page = Paginator(activities, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "academies/activities/activity_list.html",
        {
            "academy": academy,
            "page": page,
            "form": form,
            "filters": filters,
            "query": urlencode({k: v for k, v in (("q", search), ("vorm", fmt)) if v}),
        },
    )


@login_required
def activity_detail(request, academy_id, pk):
    academy = _academy(request, academy_id)
    activity = get_object_or_404(academy.activities, pk=pk)
    form = SeriesForm(request.POST or None)
    if request.method == "POST":
        _academy(request, academy_id, edit=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                series = services.create_series(
                    actor=request.user,
                    activity=activity,
                    code=data["code"],
                    municipality=data["place"],
                    venue=data["venue"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    weekdays=data["weekdays"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                )
            except AcademyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Reeks %(code)s aangemaakt met %(n)s sessies.")
                    % {"code": series.code, "n": series.sessions.count()},
                )
                return redirect("academies:series", academy.pk, series.pk)
    return render(
        request,
        "academies/activities/activity_detail.html",
        {
            "academy": academy,
            "activity": activity,
            "series_list": series_of(activity).order_by("start_date", "id"),
            "form": form,
        },
    )


def _series(request, academy_id, pk, *, edit=False):
    academy = _academy(request, academy_id, edit=edit)
    series = get_object_or_404(
        Series.objects.select_related("activity", "municipality"), pk=pk, activity__academy=academy
    )
    return academy, series


@login_required
def series_detail(request, academy_id, pk):
    academy, series = _series(request, academy_id, pk)
    participant_form = ParticipantForm(prefix="p")
    session_form = SessionForm(prefix="s")
    copy_form = CopyParticipantsForm(series=series, prefix="c")
    if request.method == "POST":
        _academy(request, academy_id, edit=True)
        action = request.POST.get("action")
        try:
            if action == "participant":
                participant_form = ParticipantForm(request.POST, prefix="p")
                if participant_form.is_valid():
                    data = participant_form.cleaned_data
                    participant = Participant.objects.filter(
                        academy=academy, ref=data["ref"].strip()
                    ).first() or services.add_participant(
                        actor=request.user, academy=academy, **data
                    )
                    services.enrol(actor=request.user, series=series, participant=participant)
                    messages.success(
                        request, _("Deelnemer %(ref)s toegevoegd.") % {"ref": participant.ref}
                    )
                    return redirect(request.path)
            elif action == "session":
                session_form = SessionForm(request.POST, prefix="s")
                if session_form.is_valid():
                    data = session_form.cleaned_data
                    services.add_session(
                        actor=request.user,
                        series=series,
                        day=data["date"],
                        start_time=data["start_time"],
                        end_time=data["end_time"],
                    )
                    messages.success(request, _("Sessie toegevoegd."))
                    return redirect(request.path)
            elif action == "copy":
                copy_form = CopyParticipantsForm(request.POST, series=series, prefix="c")
                if copy_form.is_valid():
                    n = services.copy_participants(
                        actor=request.user, source=copy_form.cleaned_data["source"], target=series
                    )
                    messages.success(request, _("%(n)s deelnemers gekopieerd.") % {"n": n})
                    return redirect(request.path)
        except AcademyError as error:
            messages.error(request, str(error))
    participants, sessions, present = attendance_grid(series)
    locked = services.locked_ranges(academy.pk)
    locked_sessions = {
        s.pk for s in sessions if any(first <= s.date <= last for first, last in locked)
    }
    half = HalfYear.containing(series.start_date)
    return render(
        request,
        "academies/activities/series_detail.html",
        {
            "academy": academy,
            "series": series,
            "participants": participants,
            "sessions": sessions,
            "present": present,
            "locked_sessions": locked_sessions,
            "participant_form": participant_form,
            "session_form": session_form,
            "copy_form": copy_form,
            "can_edit": can_edit_academy_data(request.user, academy),
            "period": get_or_create_reporting_period(half.code),
            "summary": period_summary(academy, half.start, half.end),
        },
    )


@login_required
@require_POST
def attendance_toggle(request, academy_id, session_id, participant_id):
    """htmx: toggle one cell of the attendance grid; returns the cell."""
    academy = _academy(request, academy_id, edit=True)
    session = get_object_or_404(Session, pk=session_id, academy=academy)
    participant = get_object_or_404(Participant, pk=participant_id, academy=academy)
    present = request.POST.get("present") == "1"
    error = None
    try:
        services.set_attendance(
            actor=request.user, session=session, participant=participant, present=present
        )
    except AcademyError as refused:
        # Answer 200 so htmx swaps the cell: unchanged, locked, with the reason next to it.
        present = session.attendances.filter(participant=participant).exists()
        error = str(refused)
    response = render(
        request,
        "academies/partials/activities_cell.html",
        {
            "academy": academy,
            "session": session,
            "participant": participant,
            "present": present,
            "locked": error is not None,
            "error": error,
        },
    )
    if error is None:
        response["HX-Trigger"] = "attendance-changed"
    return response


@login_required
def period_detail(request, academy_id, code):
    academy = _academy(request, academy_id)
    try:
        half = HalfYear.parse(code)
    except ValueError as error:
        raise Http404 from error
    period = get_or_create_reporting_period(half.code)
    submit_form = SubmitReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _academy(request, academy_id, edit=True)
        if submit_form.is_valid():
            try:
                submit_period_report(actor=request.user, academy=academy, period=period)
            except AcademyError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Perioderapport %(code)s ingediend. Je gegevens zijn nu vergrendeld.")
                    % {"code": period.code},
                )
            return redirect("academies:period", academy.pk, period.code)
    report = PeriodReport.objects.filter(academy=academy, period=period).first()
    with_losses = request.GET.get("verlies") == "1"
    page = Paginator(
        sessions_in_period(academy, half.start, half.end, with_losses=with_losses), 50
    ).get_page(request.GET.get("pagina"))
    template = (
        "academies/partials/activities_period_summary.html"
        if request.headers.get("HX-Request")
        else "academies/activities/period_detail.html"
    )
    return render(
        request,
        template,
        {
            "academy": academy,
            "period": period,
            "summary": period_summary(academy, half.start, half.end),
            "report": report,
            "submit_form": submit_form,
            "with_losses": with_losses,
            "query": "verlies=1" if with_losses else "",
            "can_edit": can_edit_academy_data(request.user, academy),
            "page": page,
            "previous": HalfYear(half.year - (half.half == 1), 2 if half.half == 1 else 1),
            "next": HalfYear(half.year + (half.half == 2), 1 if half.half == 2 else 2),
        },
    )


@login_required
def current_period(request, academy_id):
    return redirect("academies:period", academy_id, HalfYear.containing(timezone.localdate()).code)


@login_required
def import_register(request, academy_id):
    academy = _academy(request, academy_id, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_file(upload.read(), upload.name)
            result = import_attendance(actor=request.user, academy=academy, rows=rows)
        except ValueError as error:
            form.add_error("file", str(error))
        except ImportRejected as rejected:
            errors = rejected.result.errors
            messages.error(
                request,
                _(
                    "Het bestand bevat %(n)s fouten. Er werd niets ingelezen; verbeter het "
                    "bestand en probeer opnieuw."
                )
                % {"n": len(errors)},
            )
        else:
            created = result.created
            messages.success(
                request,
                _(
                    "%(rows)s rijen ingelezen: %(s)s nieuwe sessies, %(p)s nieuwe deelnemers, "
                    "%(a)s nieuwe aanwezigheden."
                )
                % {
                    "rows": result.rows,
                    "s": created["sessions"],
                    "p": created["participants"],
                    "a": created["attendance"],
                },
            )
            return redirect("academies:activities", academy.pk)
    return render(
        request,
        "academies/activities/import.html",
        {"academy": academy, "form": form, "errors": errors[:500], "error_count": len(errors)},
    )


@login_required
def export_register(request, academy_id, fmt):
    academy = _academy(request, academy_id)
    content = export_file(academy, fmt)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="aanwezigheden-{academy.enterprise_number}.{fmt}"'
    )
    return response


def _confirm(request, *, academy, title, message, button, cancel_url):
    """A confirmation page before a destructive action (works without JavaScript)."""
    return render(
        request,
        "academies/activities/confirm.html",
        {
            "academy": academy,
            "title": title,
            "message": message,
            "button": button,
            "cancel_url": cancel_url,
        },
    )


def _edit_page(request, academy, form, title, cancel_url, delete_url=None):
    """The one edit page for activities, series, sessions and participants."""
    return render(
        request,
        "academies/activities/edit.html",
        {
            "academy": academy,
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "delete_url": delete_url,
        },
    )


@login_required
def activity_edit(request, academy_id, pk):
    academy = _academy(request, academy_id, edit=True)
    activity = get_object_or_404(academy.activities, pk=pk)
    form = ActivityEditForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.update_activity(actor=request.user, activity=activity, **form.cleaned_data)
        messages.success(request, _("Activiteit bijgewerkt."))
        return redirect("academies:activity", academy.pk, activity.pk)
    return _edit_page(
        request,
        academy,
        form,
        _("Activiteit %(code)s bewerken") % {"code": activity.code},
        reverse("academies:activity", args=[academy.pk, activity.pk]),
    )


@login_required
def series_edit(request, academy_id, pk):
    academy, series = _series(request, academy_id, pk, edit=True)
    initial = {
        "place": series.municipality_id,
        "venue": series.venue,
        "start_date": series.start_date,
        "end_date": series.end_date,
    }
    form = SeriesEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_series(
                actor=request.user,
                series=series,
                municipality=data["place"],
                venue=data["venue"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except AcademyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Reeks bijgewerkt."))
            return redirect("academies:series", academy.pk, series.pk)
    return _edit_page(
        request,
        academy,
        form,
        _("Reeks %(code)s bewerken") % {"code": series.code},
        reverse("academies:series", args=[academy.pk, series.pk]),
    )


@login_required
def session_edit(request, academy_id, pk):
    academy = _academy(request, academy_id, edit=True)
    session = get_object_or_404(
        Session.objects.select_related("series__activity"), pk=pk, academy=academy
    )
    back = reverse("academies:series", args=[academy.pk, session.series_id])
    initial = {"date": session.date, "start_time": session.start_time, "end_time": session.end_time}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_session(
                actor=request.user,
                session=session,
                day=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
            )
        except AcademyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Sessie bijgewerkt."))
            return redirect(back)
    return _edit_page(
        request,
        academy,
        form,
        _("Sessie van %(day)s bewerken") % {"day": session.date.strftime("%d-%m-%Y")},
        back,
        delete_url=reverse("academies:session_delete", args=[academy.pk, session.pk]),
    )


@login_required
def session_delete(request, academy_id, pk):
    academy = _academy(request, academy_id, edit=True)
    session = get_object_or_404(Session, pk=pk, academy=academy)
    back = reverse("academies:series", args=[academy.pk, session.series_id])
    if request.method == "POST":
        try:
            services.delete_session(actor=request.user, session=session)
        except AcademyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Sessie verwijderd."))
        return redirect(back)
    n = session.attendances.count()
    return _confirm(
        request,
        academy=academy,
        title=_("Sessie verwijderen?"),
        message=_(
            "De sessie van %(day)s %(start)s–%(end)s wordt verwijderd, met haar "
            "%(n)s aanwezigheden. Dit kan je niet ongedaan maken."
        )
        % {
            "day": session.date.strftime("%d-%m-%Y"),
            "start": session.start_time.strftime("%H:%M"),
            "end": session.end_time.strftime("%H:%M"),
            "n": n,
        },
        button=_("Sessie verwijderen"),
        cancel_url=back,
    )


@login_required
def participant_unenrol(request, academy_id, series_pk, participant_pk):
    academy, series = _series(request, academy_id, series_pk, edit=True)
    participant = get_object_or_404(series.participants, pk=participant_pk)
    back = reverse("academies:series", args=[academy.pk, series.pk])
    if request.method == "POST":
        try:
            services.unenrol(actor=request.user, series=series, participant=participant)
        except AcademyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Deelnemer %(ref)s uit de reeks gehaald.") % {"ref": participant.ref}
            )
        return redirect(back)
    return _confirm(
        request,
        academy=academy,
        title=_("Deelnemer uit de reeks halen?"),
        message=_(
            "%(ref)s verdwijnt uit reeks %(code)s, met alle aanwezigheden in deze reeks. "
            "De deelnemer blijft bestaan voor je andere reeksen."
        )
        % {"ref": participant.ref, "code": series.code},
        button=_("Uit de reeks halen"),
        cancel_url=back,
    )


@login_required
def participant_edit(request, academy_id, pk):
    academy = _academy(request, academy_id, edit=True)
    participant = get_object_or_404(Participant, pk=pk, academy=academy)
    back = request.GET.get("terug") or reverse("academies:activities", args=[academy.pk])
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("academies:activities", args=[academy.pk])
    initial = {
        "birth_year": participant.birth_year,
        "residence_postal_code": participant.residence_postal_code,
    }
    form = ParticipantEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_participant(
                actor=request.user, participant=participant, **form.cleaned_data
            )
        except AcademyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Deelnemer %(ref)s bijgewerkt.") % {"ref": participant})
            return redirect(back)
    return _edit_page(
        request, academy, form, _("Deelnemer %(ref)s bewerken") % {"ref": participant.ref}, back
    )
