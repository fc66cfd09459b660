from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .models import AuditEvent, Municipality, PostalCode, Province
from .roles import has_staff_powers


def admin_has_permission(request) -> bool:
    """The admin opens only to staff acting with a session that passed MFA."""
    user = request.user
    return user.is_active and user.is_staff and has_staff_powers(user)


@secure_admin_login
def admin_login(request, extra_context=None):
    """The admin has no login form of its own: allauth's login (with its TOTP step) signs
    everyone in. secure_admin_login sends anonymous visitors there and refuses non-staff;
    staff whose session did not pass MFA are sent to the MFA step by the middleware."""
    if not admin_has_permission(request):
        raise PermissionDenied
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "admin:index"
    return redirect(target)


admin.site.has_permission = admin_has_permission
admin.site.login = admin_login


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["refnis", "name", "region"]


class PostalCodeInline(admin.StackedInline):
    """Stacked, not tabular: every postal-code input gets its own label (WCAG 1.3.1)."""

    model = PostalCode
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["refnis", "name", "province", "region", "successor"]
    list_filter = ["region", "province"]
    search_fields = ["refnis", "name", "postal_codes__code"]
    list_select_related = ["province", "successor"]
    inlines = [PostalCodeInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
