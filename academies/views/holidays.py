"""Staff page for the school-holiday calendar."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stemnet.decorators import staff_required
from stemnet.forms import SafeInputMixin

from ..models import SchoolHoliday
from ..services import AcademyError
from ..services import holidays as services


class HolidayForm(SafeInputMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=100)
    start_date = forms.DateField(
        label=gettext_lazy("Van"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=gettext_lazy("Tot en met"), widget=forms.DateInput(attrs={"type": "date"})
    )


class HolidayImportForm(SafeInputMixin, forms.Form):
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
        {
            "page": Paginator(SchoolHoliday.objects.order_by("-start_date", "id"), 50).get_page(
                request.GET.get("pagina")
            ),
            "form": form,
            "import_form": import_form,
        },
    )


@staff_required
def holiday_delete(request, pk):
    """GET asks for confirmation, POST deletes (and recomputes the sessions it touched)."""
    holiday = get_object_or_404(SchoolHoliday, pk=pk)
    if request.method == "POST":
        services.delete_holiday(actor=request.user, holiday=holiday)
        messages.success(request, _("Vakantie verwijderd; sessies zijn herberekend."))
        return redirect("academies_staff:holidays")
    return render(
        request,
        "academies/activities/confirm.html",
        {
            "title": _("Schoolvakantie verwijderen?"),
            "message": _(
                "%(name)s (%(start)s – %(end)s) wordt verwijderd. Sessies op die dagen krijgen "
                "opnieuw schooluren en tellen daardoor misschien minder KIND-uren."
            )
            % {
                "name": holiday.name,
                "start": holiday.start_date.strftime("%d-%m-%Y"),
                "end": holiday.end_date.strftime("%d-%m-%Y"),
            },
            "button": _("Verwijderen"),
            "cancel_url": reverse("academies_staff:holidays"),
        },
    )
