"""What the register pages share: the academy and series in the user's scope, the edit and
confirmation pages, and turning a service's domain error into a form error."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from ..permissions import can_edit_academy_data, remember_role
from ..selectors.organisation import academies_for_user, with_member_role
from ..services import AcademyError


def academy_or_404(request, academy_id, *, edit=False):
    """The academy if the user may see it (404 otherwise); 403 if ``edit`` and they may not.
    The user's role in it comes with it, for the permission checks of the page."""
    academies = with_member_role(academies_for_user(request.user), request.user)
    academy = get_object_or_404(academies, pk=academy_id)
    remember_role(request.user, academy, academy.member_role)
    if edit and not can_edit_academy_data(request.user, academy):
        raise PermissionDenied
    return academy


def series_or_404(request, academy_id, pk, *, edit=False):
    from ..selectors.activities import series_with_activity

    academy = academy_or_404(request, academy_id, edit=edit)
    return academy, get_object_or_404(series_with_activity(academy), pk=pk)


def attempt(request, form, action, success: str) -> bool:
    """Call a service; a domain error becomes the form's error, success a message."""
    try:
        action()
    except AcademyError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, success)
    return True


def confirm_page(request, *, academy, title, message, button, cancel_url):
    """A confirmation page before a destructive action (works without JavaScript)."""
    return render(
        request,
        "academies/activities/confirm.html",
        {
            "academy": academy,
            "title": title,
            "message": message,
            "button": button,
            "cancel_url": cancel_url,
        },
    )


def edit_page(request, academy, form, title, cancel_url, delete_url=None):
    """The one edit page for activities, series, sessions and participants."""
    return render(
        request,
        "academies/activities/edit.html",
        {
            "academy": academy,
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "delete_url": delete_url,
        },
    )
