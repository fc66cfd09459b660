"""The academy's recognition application: fill in, attach, submit, follow its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..forms.organisation import ApplicationForm
from ..models import ApplicationState, Attachment
from ..permissions import can_manage_academy
from ..selectors.organisation import academies_for_user
from ..selectors.recognition import changes_request, current_recognition, latest_application
from ..services import AcademyError, terms
from ..services import recognition as services
from ..workflow import ACADEMY, STAFF_TARGETS, actions_from

#: After a refusal or a withdrawal the academy may apply again with a fresh application.
STARTS_OVER = (ApplicationState.REFUSED, ApplicationState.WITHDRAWN)


@login_required
def application(request, pk):
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    latest = latest_application(academy)
    # The application the form works on: the latest while it is being written or changed,
    # a new one when there is none yet or the last one was refused or withdrawn.
    # A recognised academy whose recognition nears its end (or ended) files a renewal: a
    # new application through the same workflow, pre-filled from the previous one.
    recognition = current_recognition(academy)
    renewing = bool(
        latest
        and latest.state == ApplicationState.RECOGNISED
        and (recognition is None or terms.renewal_due(recognition))
    )
    working = latest if latest and latest.state not in STARTS_OVER and not renewing else None
    can_manage = can_manage_academy(request.user, academy).allowed
    editable = can_manage and (working is None or working.state in services.EDITABLE_STATES)
    initial = _renewal_initial(academy, latest) if renewing else None
    form = ApplicationForm(
        request.POST or None, request.FILES or None, instance=working, initial=initial
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            fields = {f: form.cleaned_data[f] for f in ApplicationForm.Meta.fields}
            try:
                if working is None:
                    working = services.create_application(
                        actor=request.user, academy=academy, **fields
                    )
                else:
                    working = services.update_application(
                        actor=request.user, application=working, **fields
                    )
                if form.cleaned_data.get("attachment"):
                    services.add_attachment(
                        actor=request.user,
                        application=working,
                        upload=form.cleaned_data["attachment"],
                    )
                action = request.POST.get("submit_action")
                if action in ("submit", "resubmit"):
                    services.take_action(actor=request.user, application=working, action=action)
                    messages.success(
                        request, _("Uw aanvraag is ingediend. VLAIO bekijkt ze zo snel mogelijk.")
                    )
                else:
                    messages.success(request, _("Uw aanvraag is bewaard als concept."))
                return redirect("academies:application", academy.pk)
            except AcademyError as error:
                form.add_error(None, str(error))
        latest = working or latest
    return render(
        request,
        "academies/application.html",
        {
            "academy": academy,
            "application": latest,
            "recognition": recognition,
            "renewing": renewing,
            "form": form,
            "editable": editable,
            "can_manage": can_manage,
            "academy_actions": actions_from(working.state, ACADEMY) if working else [],
            "transitions": latest.transitions.select_related("actor") if latest else [],
            "changes_request": changes_request(latest),
            "attachments_removable": bool(
                editable and latest and latest.state in services.EDITABLE_STATES
            ),
            "staff_targets": STAFF_TARGETS,
        },
    )


def _renewal_initial(academy, previous) -> dict:
    """The renewal form starts from the previous application's explanations and the
    profile's public description; the criteria are confirmed again."""
    fields = ["explains_stem", "explains_outside_school", "explains_ages", "explains_flanders"]
    initial = {name: getattr(previous, name) for name in fields}
    initial["motivation"] = previous.motivation or academy.public_description
    return initial


@login_required
def attachment_download(request, pk, attachment_pk):
    """Attachments are private: only members of the academy and staff, only through here."""
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application__academy=academy)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_delete(request, pk, attachment_pk):
    """Take an attachment off a draft or changes-requested application (asks first)."""
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application__academy=academy)
    if not can_manage_academy(request.user, academy):
        raise PermissionDenied
    back = reverse("academies:application", args=[academy.pk])
    if request.method == "POST":
        try:
            services.remove_attachment(actor=request.user, attachment=attachment)
        except AcademyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Bijlage %(name)s verwijderd.") % {"name": attachment.original_name}
            )
        return redirect(back)
    return render(
        request,
        "academies/activities/confirm.html",
        {
            "title": _("Bijlage verwijderen?"),
            "message": _(
                "%(name)s verdwijnt uit uw aanvraag. Dit kunt u niet ongedaan maken; u kunt "
                "het bestand wel opnieuw toevoegen."
            )
            % {"name": attachment.original_name},
            "button": _("Bijlage verwijderen"),
            "cancel_url": back,
        },
    )
