"""Read-only admin for subsidy data: amounts change only through the services."""

from django.contrib import admin

from .models import Award, AwardLine, CalculationRun, Period


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AwardLineInline(admin.TabularInline):
    model = AwardLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["reference", "academy", "amount_cents", "run"]
    list_select_related = ["academy", "run"]
    inlines = [AwardLineInline]


@admin.register(CalculationRun)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["period", "status", "created_at", "total_cents"]


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["reporting_period", "status", "budget_cents"]
