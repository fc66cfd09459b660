"""Staff page: submitted period reports, and reopening one academy's report with a reason."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stemnet.decorators import staff_required
from stemnet.forms import SafeInputMixin

from ..models import PeriodReport, ReportingPeriod
from ..services import AcademyError
from ..services.periods import reopen_period_report


class ReopenForm(SafeInputMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van de heropening"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("De academie ziet deze reden bij haar periode."),
    )


@staff_required
def report_list(request):
    periods = list(ReportingPeriod.objects.order_by("-start_date"))
    code = request.GET.get("periode") or (periods[0].code if periods else "")
    reports = (
        PeriodReport.objects.filter(period__code=code)
        .select_related("academy", "period", "submitted_by")
        .order_by("-submitted_at", "academy__name", "id")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "academies/activities/staff_reports.html",
        {"periods": periods, "code": code, "page": page, "query": f"periode={code}"},
    )


@staff_required
def report_reopen(request, pk):
    report = get_object_or_404(PeriodReport.objects.select_related("academy", "period"), pk=pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reopen_period_report(
                actor=request.user, report=report, reason=form.cleaned_data["reason"]
            )
        except AcademyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Het rapport van %(academy)s voor %(code)s is heropend.")
                % {"academy": report.academy.name, "code": report.period.code},
            )
            return redirect(f"{reverse('academies_staff:reports')}?periode={report.period.code}")
    return render(
        request, "academies/activities/staff_report_reopen.html", {"report": report, "form": form}
    )
