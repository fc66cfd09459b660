"""Staff pages of the academies app, mounted under /staff/academies/ (namespace
``academies_staff``): the recognition queue, school holidays and period reports."""

from django.urls import path

from ..views import holidays, period_reports, staff_recognition

app_name = "academies_staff"
urlpatterns = [
    path("aanvragen/", staff_recognition.queue, name="queue"),
    path("aanvragen/<int:pk>/", staff_recognition.review, name="review"),
    path("aanvragen/<int:pk>/beslissen/", staff_recognition.decide, name="decide"),
    path(
        "erkenningen/<int:pk>/einddatum/",
        staff_recognition.change_end_date,
        name="recognition_end_date",
    ),
    path("schoolvakanties/", holidays.holiday_list, name="holidays"),
    path("schoolvakanties/<int:pk>/verwijderen/", holidays.holiday_delete, name="holiday_delete"),
    path("perioderapporten/", period_reports.report_list, name="reports"),
    path(
        "perioderapporten/<int:pk>/heropenen/", period_reports.report_reopen, name="report_reopen"
    ),
]
