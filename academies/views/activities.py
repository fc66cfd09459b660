"""Activity pages: the list (with a form for a new activity), one activity with its
series (and a form for a new series), editing an activity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..forms.activities import ActivityEditForm, ActivityFilterForm, ActivityForm, SeriesForm
from ..selectors.activities import activities_of, series_of
from ..services import AcademyError
from ..services import activities as services
from .common import academy_or_404, edit_page


@login_required
def activity_list(request, academy_id):
    academy = academy_or_404(request, academy_id, edit=request.method == "POST")
    form = ActivityForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                actor=request.user, academy=academy, **form.cleaned_data
            )
        except AcademyError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Activiteit '%(t)s' aangemaakt.") % {"t": activity})
            return redirect("academies:activity", academy.pk, activity.pk)
    filters = ActivityFilterForm(request.GET or None)
    search = fmt = ""
    if filters.is_valid():
        search, fmt = filters.cleaned_data["q"], filters.cleaned_data["vorm"]
    activities = activities_of(academy, search=search, format=fmt).order_by("title", "id")
    page = Paginator(activities, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "academies/activities/activity_list.html",
        {
            "academy": academy,
            "page": page,
            "form": form,
            "filters": filters,
            "query": urlencode({k: v for k, v in (("q", search), ("vorm", fmt)) if v}),
        },
    )


@login_required
def activity_detail(request, academy_id, pk):
    academy = academy_or_404(request, academy_id, edit=request.method == "POST")
    activity = get_object_or_404(academy.activities, pk=pk)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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


@login_required
def activity_edit(request, academy_id, pk):
    academy = academy_or_404(request, academy_id, edit=True)
    activity = get_object_or_404(academy.activities, pk=pk)
    form = ActivityEditForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.update_activity(actor=request.user, activity=activity, **form.cleaned_data)
        messages.success(request, _("Activiteit bijgewerkt."))
        return redirect("academies:activity", academy.pk, activity.pk)
    return edit_page(
        request,
        academy,
        form,
        _("Activiteit %(code)s bewerken") % {"code": activity.code},
        reverse("academies:activity", args=[academy.pk, activity.pk]),
    )
