"""The academy's recognition application: fill in, attach, submit, follow its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..forms import ApplicationForm
from ..models import ApplicationState, Attachment
from ..permissions import can_manage_academy
from ..selectors import academies_for_user
from ..services import AcademyError
from ..services import recognition as services
from ..workflow import ACADEMY, actions_from

EDITABLE = (ApplicationState.DRAFT, ApplicationState.CHANGES_REQUESTED)


@login_required
def application(request, pk):
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    current = academy.applications.prefetch_related("attachments").first()
    can_manage = can_manage_academy(request.user, academy)
    editable = can_manage and (current is None or current.state in EDITABLE)
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            fields = {f: form.cleaned_data[f] for f in ApplicationForm.Meta.fields}
            try:
                if current is None:
                    current = services.create_application(
                        actor=request.user, academy=academy, **fields
                    )
                else:
                    current = services.update_application(
                        actor=request.user, application=current, **fields
                    )
                if form.cleaned_data.get("attachment"):
                    services.add_attachment(
                        actor=request.user,
                        application=current,
                        upload=form.cleaned_data["attachment"],
                    )
                action = request.POST.get("submit_action")
                if action in ("submit", "resubmit"):
                    services.take_action(actor=request.user, application=current, action=action)
                    messages.success(
                        request, _("Je aanvraag is ingediend. VLAIO bekijkt ze zo snel mogelijk.")
                    )
                else:
                    messages.success(request, _("Je aanvraag is bewaard als concept."))
                return redirect("academies:application", academy.pk)
            except AcademyError as error:
                form.add_error(None, str(error))
    return render(
        request,
        "academies/application.html",
        {
            "academy": academy,
            "application": current,
            "form": form,
            "editable": editable,
            "academy_actions": actions_from(current.state, ACADEMY) if current else [],
            "transitions": current.transitions.select_related("actor") if current else [],
        },
    )


@login_required
def attachment_download(request, pk, attachment_pk):
    """Attachments are private: only members of the academy and staff, only through here."""
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application__academy=academy)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
