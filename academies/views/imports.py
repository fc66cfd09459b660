"""Importing an attendance register (CSV/XLSX, all or nothing) and exporting it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from stemnet.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .. import tasks
from ..forms.activities import ImportForm
from ..imports import export_file
from ..models import ImportStatus
from ..services.imports import start_import
from .common import academy_or_404


def _success_message(job) -> str:
    """'1 rij ingelezen: 1 nieuwe sessie, …', each count in its own singular or plural."""
    rows, created = job.rows, job.created
    sessions = created.get("sessions", 0)
    participants = created.get("participants", 0)
    attendance = created.get("attendance", 0)
    parts = {
        "rows": ngettext("%(n)s rij ingelezen", "%(n)s rijen ingelezen", rows) % {"n": rows},
        "s": ngettext("%(n)s nieuwe sessie", "%(n)s nieuwe sessies", sessions) % {"n": sessions},
        "p": ngettext("%(n)s nieuwe deelnemer", "%(n)s nieuwe deelnemers", participants)
        % {"n": participants},
        "a": ngettext("%(n)s nieuwe aanwezigheid", "%(n)s nieuwe aanwezigheden", attendance)
        % {"n": attendance},
    }
    return _("%(rows)s: %(s)s, %(p)s, %(a)s.") % parts


@login_required
def import_register(request, academy_id):
    academy = academy_or_404(request, academy_id, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    job = None
    if request.method == "POST" and form.is_valid():
        job = start_import(
            actor=request.user,
            academy=academy,
            upload=form.cleaned_data["file"],
            enqueue=tasks.enqueue_import,
        )
        if job.status == ImportStatus.SUCCEEDED:
            messages.success(request, _success_message(job))
            return redirect("academies:activities", academy.pk)
        if job.is_active:
            return redirect("academies:import_job", academy.pk, job.pk)
        if job.status == ImportStatus.REJECTED and not job.error_count:
            form.add_error("file", job.message)
            job = None
        else:
            messages.error(request, _rejected_message(job))
    return render(
        request,
        "academies/activities/import.html",
        {"academy": academy, "form": form, "job": job},
    )


def _rejected_message(job) -> str:
    if job.status == ImportStatus.FAILED:
        return job.message
    return ngettext(
        "Het bestand bevat %(n)s fout. Er werd niets ingelezen; verbeter het bestand en "
        "probeer opnieuw.",
        "Het bestand bevat %(n)s fouten. Er werd niets ingelezen; verbeter het bestand en "
        "probeer opnieuw.",
        job.error_count,
    ) % {"n": job.error_count}


@login_required
@require_GET
def import_job(request, academy_id, pk):
    """A background import: its progress (polled by htmx while it runs), then its
    outcome with every error by row and column."""
    academy = academy_or_404(request, academy_id, edit=True)
    job = get_object_or_404(academy.import_jobs, pk=pk)
    template = (
        "academies/partials/import_job.html"
        if request.headers.get("HX-Request")
        else "academies/activities/import_job.html"
    )
    return render(request, template, {"academy": academy, "job": job})


@login_required
def export_register(request, academy_id, fmt):
    academy = academy_or_404(request, academy_id)
    content = export_file(academy, fmt)
    content_type = XLSX_CONTENT_TYPE if fmt == "xlsx" else CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="aanwezigheden-{academy.enterprise_number}.{fmt}"'
    )
    return response


def _import_summary(rows: int, created: dict) -> str:
    """'1 rij ingelezen: 1 nieuwe sessie, …', each count in its own singular or plural."""
    parts = {
        "rows": ngettext("%(n)s rij ingelezen", "%(n)s rijen ingelezen", rows) % {"n": rows},
        "s": ngettext("%(n)s nieuwe sessie", "%(n)s nieuwe sessies", created["sessions"])
        % {"n": created["sessions"]},
        "p": ngettext("%(n)s nieuwe deelnemer", "%(n)s nieuwe deelnemers", created["participants"])
        % {"n": created["participants"]},
        "a": ngettext(
            "%(n)s nieuwe aanwezigheid", "%(n)s nieuwe aanwezigheden", created["attendance"]
        )
        % {"n": created["attendance"]},
    }
    return _("%(rows)s: %(s)s, %(p)s, %(a)s.") % parts
