"""A series ("reeks"): its attendance grid and period summary, the three forms under it
(add a participant, add a session, copy participants; each posts to a view of its own),
editing the series and taking a participant out of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stemnet.periods import HalfYear

from ..forms.activities import CopyParticipantsForm, ParticipantForm, SeriesEditForm, SessionForm
from ..permissions import can_edit_academy_data
from ..selectors.activities import series_page, series_summary
from ..selectors.periods import reporting_period
from ..services import AcademyError
from ..services import activities as services
from ..validation import ref_personal_data_warning
from .common import attempt, confirm_page, edit_page, series_or_404


def _render(request, academy, series, **forms):
    forms.setdefault("participant_form", ParticipantForm(prefix="p"))
    forms.setdefault("session_form", SessionForm(prefix="s"))
    forms.setdefault("copy_form", CopyParticipantsForm(series=series, prefix="c"))
    return render(
        request,
        "academies/activities/series_detail.html",
        {
            "academy": academy,
            "series": series,
            **series_page(academy, series),
            **forms,
            "can_edit": can_edit_academy_data(request.user, academy).allowed,
        },
    )


@login_required
@require_GET
def series_detail(request, academy_id, pk):
    academy, series = series_or_404(request, academy_id, pk)
    if request.headers.get("HX-Request") and request.GET.get("blok") == "kind-uren":
        # htmx: the series' KIND-uren block again, after a change in the grid
        return render(
            request,
            "academies/partials/activities_period_summary.html",
            {
                "academy": academy,
                "series": series,
                "period": reporting_period(HalfYear.containing(series.start_date).code),
                "summary": series_summary(academy, series),
            },
        )
    return _render(request, academy, series)


@login_required
@require_POST
def series_add_participant(request, academy_id, pk):
    academy, series = series_or_404(request, academy_id, pk, edit=True)
    form = ParticipantForm(request.POST, prefix="p")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.add_and_enrol_participant(
            actor=request.user, series=series, **form.cleaned_data
        ),
        _("Deelnemer %(ref)s toegevoegd.") % {"ref": form.cleaned_data["ref"].strip()},
    ):
        warning = ref_personal_data_warning(form.cleaned_data["ref"])
        if warning:
            messages.warning(request, warning)
        return redirect("academies:series", academy.pk, series.pk)
    return _render(request, academy, series, participant_form=form)


@login_required
@require_POST
def series_add_session(request, academy_id, pk):
    academy, series = series_or_404(request, academy_id, pk, edit=True)
    form = SessionForm(request.POST, prefix="s")
    if form.is_valid() and attempt(
        request,
        form,
        lambda: services.add_session(
            actor=request.user,
            series=series,
            day=form.cleaned_data["date"],
            start_time=form.cleaned_data["start_time"],
            end_time=form.cleaned_data["end_time"],
        ),
        _("Sessie toegevoegd."),
    ):
        return redirect("academies:series", academy.pk, series.pk)
    return _render(request, academy, series, session_form=form)


@login_required
@require_POST
def series_copy_participants(request, academy_id, pk):
    academy, series = series_or_404(request, academy_id, pk, edit=True)
    form = CopyParticipantsForm(request.POST, series=series, prefix="c")
    if form.is_valid():
        try:
            n = services.copy_participants(
                actor=request.user, source=form.cleaned_data["source"], target=series
            )
        except AcademyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(n)s deelnemers gekopieerd.") % {"n": n})
            return redirect("academies:series", academy.pk, series.pk)
    return _render(request, academy, series, copy_form=form)


@login_required
def series_edit(request, academy_id, pk):
    academy, series = series_or_404(request, academy_id, pk, edit=True)
    initial = {
        "place": series.municipality_id,
        "venue": series.venue,
        "start_date": series.start_date,
        "end_date": series.end_date,
    }
    form = SeriesEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: services.update_series(
                actor=request.user,
                series=series,
                municipality=form.cleaned_data["place"],
                venue=form.cleaned_data["venue"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
            ),
            _("Reeks bijgewerkt."),
        )
    ):
        return redirect("academies:series", academy.pk, series.pk)
    return edit_page(
        request,
        academy,
        form,
        _("Reeks %(code)s bewerken") % {"code": series.code},
        reverse("academies:series", args=[academy.pk, series.pk]),
    )


@login_required
def participant_unenrol(request, academy_id, series_pk, participant_pk):
    academy, series = series_or_404(request, academy_id, series_pk, edit=True)
    participant = get_object_or_404(series.participants, pk=participant_pk)
    back = reverse("academies:series", args=[academy.pk, series.pk])
    if request.method == "POST":
        try:
            services.unenrol(actor=request.user, series=series, participant=participant)
        except AcademyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Deelnemer %(ref)s uit de reeks gehaald.") % {"ref": participant.ref}
            )
        return redirect(back)
    return confirm_page(
        request,
        academy=academy,
        title=_("Deelnemer uit de reeks halen?"),
        message=_(
            "%(ref)s verdwijnt uit reeks %(code)s, met alle aanwezigheden in deze reeks. "
            "De deelnemer blijft bestaan voor uw andere reeksen."
        )
        % {"ref": participant.ref, "code": series.code},
        button=_("Uit de reeks halen"),
        cancel_url=back,
    )
