"""Registering an academy, its profile, members, invitations and switching academies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.notifications import absolute

from ..forms.organisation import AcademyForm, InvitationForm
from ..models import Invitation, StemDomain
from ..permissions import can_manage_academy
from ..selectors.organisation import CURRENT_ACADEMY_SESSION_KEY, academies_for_user
from ..selectors.recognition import current_recognition, latest_application
from ..services import AcademyError
from ..services import organisation as services

PROFILE_FIELDS = list(AcademyForm.Meta.fields)


@login_required
def register(request):
    form = AcademyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        academy = services.register_academy(
            actor=request.user, **{f: form.cleaned_data[f] for f in PROFILE_FIELDS}
        )
        request.session[CURRENT_ACADEMY_SESSION_KEY] = academy.pk
        if form.age_warning:
            messages.warning(request, form.age_warning)
        messages.success(
            request,
            _("Academie %(name)s geregistreerd. Vraag nu de erkenning aan.")
            % {"name": academy.name},
        )
        return redirect("academies:application", academy.pk)
    return render(request, "academies/academy_form.html", {"form": form, "academy": None})


@login_required
def detail(request, pk):
    academy = get_object_or_404(
        academies_for_user(request.user).select_related("municipality__province"), pk=pk
    )
    return render(
        request,
        "academies/academy_detail.html",
        {
            "academy": academy,
            "can_manage": can_manage_academy(request.user, academy).allowed,
            "domains": [
                StemDomain(d).label for d in academy.stem_domains if d in StemDomain.values
            ],
            "recognition": current_recognition(academy),
            "application": latest_application(academy),
        },
    )


@login_required
def edit(request, pk):
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    if not can_manage_academy(request.user, academy):
        raise PermissionDenied
    form = AcademyForm(request.POST or None, instance=academy)
    if request.method == "POST" and form.is_valid():
        services.update_academy(
            actor=request.user,
            academy=academy,
            **{f: form.cleaned_data[f] for f in PROFILE_FIELDS},
        )
        if form.age_warning:
            messages.warning(request, form.age_warning)
        messages.success(request, _("Profiel bewaard."))
        return redirect(academy)
    return render(request, "academies/academy_form.html", {"form": form, "academy": academy})


@login_required
def members(request, pk):
    academy = get_object_or_404(academies_for_user(request.user), pk=pk)
    can_manage = can_manage_academy(request.user, academy).allowed
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invite(
                    actor=request.user,
                    academy=academy,
                    **form.cleaned_data,
                    # E-mails link to the portal's own address (settings.PORTAL_URL).
                    accept_url=lambda token: absolute(
                        reverse("academies:accept_invitation", args=[token])
                    ),
                )
            except AcademyError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("Uitnodiging verstuurd naar %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("academies:members", academy.pk)
    return render(
        request,
        "academies/members.html",
        {
            "academy": academy,
            "memberships": academy.memberships.select_related("user").order_by("user__email"),
            "invitations": academy.invitations.filter(accepted_at__isnull=True),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def accept_invitation(request, token):
    invitation = Invitation.objects.filter(token=token).select_related("academy").first()
    if request.method == "POST":
        try:
            academy = services.accept_invitation(actor=request.user, token=token)
        except AcademyError as error:
            messages.error(request, str(error))
            return redirect("home")
        request.session[CURRENT_ACADEMY_SESSION_KEY] = academy.pk
        messages.success(request, _("Welkom bij %(name)s.") % {"name": academy.name})
        return redirect("academies:dashboard")
    return render(request, "academies/accept_invitation.html", {"invitation": invitation})


@login_required
@require_POST
def switch(request, pk):
    academy = get_object_or_404(
        academies_for_user(request.user).filter(memberships__user=request.user), pk=pk
    )
    request.session[CURRENT_ACADEMY_SESSION_KEY] = academy.pk
    return redirect("academies:dashboard")
