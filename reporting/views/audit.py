"""The audit trail for staff."""

from django.core.paginator import Paginator
from django.shortcuts import render

from stemnet.decorators import staff_required
from stemnet.models import AuditEvent

from ..audit import audit_rows


@staff_required
def audit_log(request):
    """Who changed what, newest first; filter by action (prefix) and object type."""
    events = AuditEvent.objects.select_related("actor")
    action = request.GET.get("actie", "").strip()
    object_type = request.GET.get("type", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "reporting/audit_log.html",
        {
            "page": page,
            "rows": audit_rows(page.object_list),
            "action": action,
            "object_type": object_type,
        },
    )
