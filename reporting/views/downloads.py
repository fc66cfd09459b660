"""My downloads ("mijn downloads"): start an export, follow its progress, fetch the file."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stemnet.decorators import staff_required

from ..dashboard import Span
from ..exports import ExportError, export_for_download, exports_of, request_export, retention
from ..models import ExportFormat, ExportTable


def _context(request):
    jobs = list(exports_of(request.user)[:50])
    period = request.GET.get("periode", "")
    try:
        period = Span.parse(period).code if period else ""
    except ValueError:
        period = ""
    return {
        "jobs": jobs,
        "pending": any(job.is_pending for job in jobs),
        "tables": ExportTable.choices,
        "formats": ExportFormat.choices,
        "period": period,
        "retention_hours": int(retention().total_seconds() // 3600),
    }


@staff_required
@require_GET
def downloads(request):
    """The user's exports with their status; the list refreshes itself while one is busy."""
    return render(request, "reporting/downloads.html", _context(request))


@staff_required
@require_GET
def downloads_status(request):
    """The list alone, for htmx polling."""
    return render(request, "reporting/partials/downloads_list.html", _context(request))


@staff_required
@require_POST
def start_export(request):
    try:
        request_export(
            actor=request.user,
            table=request.POST.get("tabel", ""),
            fmt=request.POST.get("formaat", ""),
            period=request.POST.get("periode", "").strip(),
        )
    except ExportError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("De export staat in de wachtrij. Deze pagina toont wanneer hij klaar is.")
        )
    return redirect("reporting:downloads")


@staff_required
@require_GET
def download(request, pk):
    """Only the user who asked for the export gets the file; anyone else gets 404."""
    job = export_for_download(request.user, pk)
    if job is None:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
