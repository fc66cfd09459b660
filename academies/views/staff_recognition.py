"""Staff review queue: filter applications, open one, see its history, decide."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.decorators import staff_required
from stemnet.models import Province

from ..forms import DecisionForm
from ..models import ApplicationState, RecognitionApplication
from ..services import AcademyError
from ..services import recognition as services
from ..workflow import STAFF, actions_from


@staff_required
def queue(request):
    applications = (
        RecognitionApplication.objects.select_related("academy__municipality__province")
        .exclude(state=ApplicationState.DRAFT)
        .order_by("submitted_at", "id")
    )
    state = request.GET.get("status", "open")
    if state == "open":
        applications = applications.filter(
            state__in=[ApplicationState.SUBMITTED, ApplicationState.RESUBMITTED]
        )
    elif state in ApplicationState.values:
        applications = applications.filter(state=state)
    province = request.GET.get("provincie", "")
    if province:
        applications = applications.filter(academy__municipality__province=province)
    older = request.GET.get("ouder_dan", "")
    if older.isdigit():
        applications = applications.filter(
            submitted_at__lt=timezone.now() - timedelta(days=int(older))
        )
    page = Paginator(applications, 50).get_page(request.GET.get("pagina"))
    query = "&".join(
        f"{k}={v}"
        for k, v in [("status", state), ("provincie", province), ("ouder_dan", older)]
        if v
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
            "states": ApplicationState.choices,
            "provinces": Province.objects.filter(region="02000"),
        },
    )


@staff_required
def review(request, pk):
    application = get_object_or_404(
        RecognitionApplication.objects.select_related("academy__municipality"), pk=pk
    )
    recognition = getattr(application, "recognition", None)
    return render(
        request,
        "academies/staff_review.html",
        {
            "application": application,
            "academy": application.academy,
            "recognition": recognition,
            "actions": actions_from(application.state, STAFF),
            "transitions": application.transitions.select_related("actor"),
            "attachments": application.attachments.all(),
            "form": DecisionForm(),
        },
    )


@staff_required
@require_POST
def decide(request, pk):
    application = get_object_or_404(RecognitionApplication, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.take_action(actor=request.user, application=application, **form.cleaned_data)
        except AcademyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Beslissing bewaard; de academie kreeg een e-mail."))
    return redirect("academies_staff:review", application.pk)
