"""Academy pages for activities, series, sessions, attendance, imports and periods."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.periods import HalfYear

from ..forms_activities import (
    ActivityForm,
    CopyParticipantsForm,
    ImportForm,
    ParticipantForm,
    SeriesForm,
    SessionForm,
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
    page = Paginator(activities_of(academy).order_by("title", "id"), 25).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "academies/activities/activity_list.html",
        {"academy": academy, "page": page, "form": form},
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
    status = 200
    try:
        services.set_attendance(
            actor=request.user, session=session, participant=participant, present=present
        )
    except AcademyError as error:
        present = not present
        status = 409
        messages.error(request, str(error))
    response = render(
        request,
        "academies/partials/activities_cell.html",
        {"academy": academy, "session": session, "participant": participant, "present": present},
        status=status,
    )
    if status == 200:
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
    if request.method == "POST":
        _academy(request, academy_id, edit=True)
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
    page = Paginator(sessions_in_period(academy, half.start, half.end), 50).get_page(
        request.GET.get("pagina")
    )
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
