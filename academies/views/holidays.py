"""Staff page for the school-holiday calendar."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stemnet.decorators import staff_required

from ..models import SchoolHoliday
from ..services import AcademyError
from ..services import holidays as services


class HolidayForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=100)
    start_date = forms.DateField(
        label=gettext_lazy("Van"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=gettext_lazy("Tot en met"), widget=forms.DateInput(attrs={"type": "date"})
    )


class HolidayImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV-bestand (name,start_date,end_date)"))


@staff_required
def holiday_list(request):
    form = HolidayForm(prefix="h")
    import_form = HolidayImportForm(prefix="i")
    if request.method == "POST":
        try:
            if "h-name" in request.POST:
                form = HolidayForm(request.POST, prefix="h")
                if form.is_valid():
                    services.add_holiday(actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Vakantie toegevoegd; sessies zijn herberekend."))
                    return redirect("academies_staff:holidays")
            else:
                import_form = HolidayImportForm(request.POST, request.FILES, prefix="i")
                if import_form.is_valid():
                    content = import_form.cleaned_data["file"].read().decode("utf-8-sig")
                    n = services.import_holidays(actor=request.user, content=content)
                    messages.success(request, _("%(n)s vakanties ingelezen.") % {"n": n})
                    return redirect("academies_staff:holidays")
        except (AcademyError, UnicodeDecodeError) as error:
            messages.error(request, str(error))
    return render(
        request,
        "academies/activities/holidays.html",
        {"holidays": SchoolHoliday.objects.all(), "form": form, "import_form": import_form},
    )


@staff_required
@require_POST
def holiday_delete(request, pk):
    holiday = get_object_or_404(SchoolHoliday, pk=pk)
    services.delete_holiday(actor=request.user, holiday=holiday)
    messages.success(request, _("Vakantie verwijderd; sessies zijn herberekend."))
    return redirect("academies_staff:holidays")
