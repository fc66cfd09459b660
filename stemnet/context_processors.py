"""Template context: the visitor's role flags, evaluated lazily."""

from django.utils.functional import SimpleLazyObject

from .roles import has_staff_powers, in_staff_group


def roles(request):
    # The nav shows staff links to the whole staff group: without MFA they lead to the MFA step.
    return {
        "is_staff_member": SimpleLazyObject(lambda: in_staff_group(request.user)),
        "has_staff_powers": SimpleLazyObject(lambda: has_staff_powers(request.user)),
    }
