"""Staff review queue: filter applications, open one, see its history, decide."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.decorators import staff_required
from stemnet.models import FLEMISH_REGION, Province

from ..criteria import staff_age_range_warning
from ..forms.organisation import DecisionForm, EndDateForm
from ..models import ApplicationState, Recognition, RecognitionApplication, StemDomain
from ..selectors.recognition import QUEUE_ALL, QUEUE_OPEN, recognition_queue
from ..services import AcademyError, terms
from ..services import recognition as services
from ..workflow import STAFF, STAFF_TARGETS, actions_from


@staff_required
def queue(request):
    state = request.GET.get("status", QUEUE_OPEN)
    province = request.GET.get("provincie", "")
    older = request.GET.get("ouder_dan", "").strip()
    applications = recognition_queue(
        state=state,
        province=province,
        older_than_days=int(older) if older.isascii() and older.isdigit() else None,
    )
    page = Paginator(applications, 50).get_page(request.GET.get("pagina"))
    query = urlencode(
        [(k, v) for k, v in [("status", state), ("provincie", province), ("ouder_dan", older)] if v]
    )
    return render(
        request,
        "academies/staff_queue.html",
        {
            "page": page,
            "state": state,
            "province": province,
            "older": older,
            "query": query,
            "open_value": QUEUE_OPEN,
            "all_value": QUEUE_ALL,
            "states": [c for c in ApplicationState.choices if c[0] != ApplicationState.DRAFT],
            "provinces": Province.objects.filter(region=FLEMISH_REGION),
        },
    )


def _review_context(application, form, end_form=None):
    academy = application.academy
    return {
        "end_form": end_form or EndDateForm(prefix="end"),
        "application": application,
        "academy": academy,
        "domains": [StemDomain(d).label for d in academy.stem_domains if d in StemDomain.values],
        "age_warning": staff_age_range_warning(academy.min_age, academy.max_age),
        "recognition": getattr(application, "recognition", None),
        "actions": actions_from(application.state, STAFF),
        "transitions": application.transitions.select_related("actor"),
        "staff_targets": STAFF_TARGETS,
        "attachments": application.attachments.all(),
        "form": form,
    }


@staff_required
def review(request, pk):
    application = get_object_or_404(
        RecognitionApplication.objects.select_related("academy__municipality__province"), pk=pk
    )
    return render(
        request, "academies/staff_review.html", _review_context(application, DecisionForm())
    )


@staff_required
@require_POST
def decide(request, pk):
    application = get_object_or_404(
        RecognitionApplication.objects.select_related("academy__municipality__province"), pk=pk
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            application = services.take_action(
                actor=request.user, application=application, **form.cleaned_data
            )
        except AcademyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Beslissing bewaard: %(state)s. De beheerders van de academie kregen een e-mail.")
                % {"state": application.get_state_display()},
            )
            return redirect("academies_staff:review", application.pk)
    # What was typed (the reason, the dates) stays on the page with the error next to it.
    return render(
        request, "academies/staff_review.html", _review_context(application, form), status=400
    )


@staff_required
@require_POST
def change_end_date(request, pk):
    """Staff move a recognition's end date, with a reason (audited)."""
    recognition = get_object_or_404(
        Recognition.objects.select_related("application__academy__municipality__province"),
        pk=pk,
        application__isnull=False,
    )
    application = recognition.application
    form = EndDateForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            terms.change_end_date(actor=request.user, recognition=recognition, **form.cleaned_data)
        except AcademyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("De erkenning loopt nu tot en met %(date)s.")
                % {"date": form.cleaned_data["valid_until"].strftime("%d-%m-%Y")},
            )
            return redirect("academies_staff:review", application.pk)
    return render(
        request,
        "academies/staff_review.html",
        _review_context(application, DecisionForm(), form),
        status=400,
    )
