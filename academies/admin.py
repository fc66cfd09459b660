from django.contrib import admin

from .models import Academy, Membership, SchoolHoliday


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Academy)
class AcademyAdmin(admin.ModelAdmin):
    list_display = ["name", "enterprise_number", "municipality"]
    search_fields = ["name", "enterprise_number"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    inlines = [MembershipInline]


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]
