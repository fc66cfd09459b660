"""Template context: the visitor's role flags, evaluated lazily."""

from django.utils.functional import SimpleLazyObject

from .roles import is_staff_member


def roles(request):
    return {"is_staff_member": SimpleLazyObject(lambda: is_staff_member(request.user))}
