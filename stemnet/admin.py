from django.contrib import admin

from .models import AuditEvent, Municipality, PostalCode, Province


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
