"""Editing a participant (birth year, postal code of residence; never a name)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..forms.activities import ParticipantEditForm
from ..selectors.activities import participants_of_academy
from ..services import activities as services
from .common import academy_or_404, attempt, edit_page


@login_required
def participant_edit(request, academy_id, pk):
    academy = academy_or_404(request, academy_id, edit=True)
    participant = get_object_or_404(participants_of_academy(academy), pk=pk)
    back = request.GET.get("terug") or reverse("academies:activities", args=[academy.pk])
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("academies:activities", args=[academy.pk])
    initial = {
        "birth_year": participant.birth_year,
        "residence_postal_code": participant.residence_postal_code,
    }
    form = ParticipantEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: services.update_participant(
                actor=request.user, participant=participant, **form.cleaned_data
            ),
            _("Deelnemer %(ref)s bijgewerkt.") % {"ref": participant},
        )
    ):
        return redirect(back)
    return edit_page(
        request, academy, form, _("Deelnemer %(ref)s bewerken") % {"ref": participant.ref}, back
    )
