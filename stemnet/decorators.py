"""View decorators shared by the apps."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import has_staff_powers, in_staff_group


def staff_required(view):
    """Anonymous visitors go to the login page; staff whose session did not pass MFA go to
    the MFA step; other signed-in users get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_staff_powers(request.user):
            if in_staff_group(request.user):
                from .middleware import mfa_step_for

                return mfa_step_for(request)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
