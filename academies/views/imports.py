"""Importing an attendance register (CSV/XLSX, all or nothing) and exporting it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..forms.activities import ImportForm
from ..imports import ImportRejected, export_file, import_attendance, read_file
from .common import academy_or_404


@login_required
def import_register(request, academy_id):
    academy = academy_or_404(request, academy_id, edit=True)
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
                ngettext(
                    "Het bestand bevat %(n)s fout. Er werd niets ingelezen; verbeter het "
                    "bestand en probeer opnieuw.",
                    "Het bestand bevat %(n)s fouten. Er werd niets ingelezen; verbeter het "
                    "bestand en probeer opnieuw.",
                    len(errors),
                )
                % {"n": len(errors)},
            )
        else:
            created = result.created
            messages.success(request, _import_summary(result.rows, created))
            return redirect("academies:activities", academy.pk)
    return render(
        request,
        "academies/activities/import.html",
        {"academy": academy, "form": form, "errors": errors[:500], "error_count": len(errors)},
    )


@login_required
def export_register(request, academy_id, fmt):
    academy = academy_or_404(request, academy_id)
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
