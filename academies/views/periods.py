"""An academy's half-year period: its KIND-uren with what did not count and why, its
sessions, and submitting the period report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stemnet.periods import HalfYear

from ..forms.activities import SubmitReportForm
from ..permissions import can_edit_academy_data
from ..selectors.activities import period_sessions_page, period_summary
from ..selectors.periods import period_report_of, reporting_period
from ..services import AcademyError
from ..services.periods import submit_period_report
from .common import academy_or_404


@login_required
def period_detail(request, academy_id, code):
    academy = academy_or_404(request, academy_id, edit=request.method == "POST")
    try:
        half = HalfYear.parse(code)
    except ValueError as error:
        raise Http404 from error
    submit_form = SubmitReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if submit_form.is_valid():
            try:
                submit_period_report(actor=request.user, academy=academy, code=half.code)
            except AcademyError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Perioderapport %(code)s ingediend. Uw gegevens zijn nu vergrendeld.")
                    % {"code": half.code},
                )
            return redirect("academies:period", academy.pk, half.code)
    period = reporting_period(half.code)
    summary = period_summary(academy, half.start, half.end)
    context = {"academy": academy, "period": period, "summary": summary}
    if request.headers.get("HX-Request"):  # the summary block only
        return render(request, "academies/partials/activities_period_summary.html", context)
    with_losses = request.GET.get("verlies") == "1"
    page = period_sessions_page(
        academy,
        half.start,
        half.end,
        request.GET.get("pagina"),
        with_losses=with_losses,
        count=summary.sessions,
    )
    return render(
        request,
        "academies/activities/period_detail.html",
        {
            **context,
            "report": period_report_of(academy, period),
            "submit_form": submit_form,
            "with_losses": with_losses,
            "query": "verlies=1" if with_losses else "",
            "can_edit": can_edit_academy_data(request.user, academy).allowed,
            "page": page,
            "previous": half.previous(),
            "next": half.next(),
        },
    )


@login_required
@require_GET
def current_period(request, academy_id):
    return redirect("academies:period", academy_id, HalfYear.containing(timezone.localdate()).code)
