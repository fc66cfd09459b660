"""The privacy page, and an academy's download of everything the portal holds about it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from academies.permissions import can_manage_academy
from academies.selectors.organisation import academies_for_user
from stemnet.audit import record
from stemnet.roles import has_staff_powers

from ..academy_data import stream_zip, tables
from ..retention import policy


@require_GET
def privacy(request):
    """What the portal keeps, why, and for how long."""
    return render(request, "reporting/privacy.html", {"retention_years": policy().years})


@login_required
def academy_export(request, pk):
    """GET: what the download holds; POST: the ZIP, streamed (the download is audited)."""
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    if not (can_manage_academy(request.user, academy) or has_staff_powers(request.user)):
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request,
            "reporting/academy_export.html",
            {"academy": academy, "files": [name for name, _qs, _cols in tables(academy)]},
        )
    record(actor=request.user, action="academy.data_exported", obj=academy)
    filename = f"gegevens-{slugify(academy.name) or academy.pk}-{timezone.localdate():%Y%m%d}.zip"
    response = StreamingHttpResponse(stream_zip(academy), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
