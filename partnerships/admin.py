from django.contrib import admin

from .models import Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "lead_academy", "starts_on", "ends_on"]
    filter_horizontal = ["municipalities", "leads"]
    autocomplete_fields = ["lead_academy"]
