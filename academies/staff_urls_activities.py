"""Staff pages for school holidays and period reports; included under /staff/academies/."""

from django.urls import path

from .views import holidays, period_reports

urlpatterns = [
    path("schoolvakanties/", holidays.holiday_list, name="holidays"),
    path("schoolvakanties/<int:pk>/verwijderen/", holidays.holiday_delete, name="holiday_delete"),
    path("perioderapporten/", period_reports.report_list, name="reports"),
    path(
        "perioderapporten/<int:pk>/heropenen/", period_reports.report_reopen, name="report_reopen"
    ),
]
