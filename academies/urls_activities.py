"""Academy-scoped pages for activities, series, sessions, attendance, imports and period
reports; included by ``academies.urls`` under ``<int:academy_id>/``."""

from django.urls import path

from .views import activities as views

urlpatterns = [
    path("activiteiten/", views.activity_list, name="activities"),
    path("activiteiten/<int:pk>/", views.activity_detail, name="activity"),
    path("activiteiten/<int:pk>/bewerken/", views.activity_edit, name="activity_edit"),
    path("reeksen/<int:pk>/", views.series_detail, name="series"),
    path("reeksen/<int:pk>/bewerken/", views.series_edit, name="series_edit"),
    path(
        "reeksen/<int:series_pk>/deelnemers/<int:participant_pk>/uitschrijven/",
        views.participant_unenrol,
        name="participant_unenrol",
    ),
    path("sessies/<int:pk>/bewerken/", views.session_edit, name="session_edit"),
    path("sessies/<int:pk>/verwijderen/", views.session_delete, name="session_delete"),
    path("deelnemers/<int:pk>/bewerken/", views.participant_edit, name="participant_edit"),
    path(
        "sessies/<int:session_id>/deelnemers/<int:participant_id>/",
        views.attendance_toggle,
        name="attendance_toggle",
    ),
    path("periodes/", views.current_period, name="current_period"),
    path("periodes/<str:code>/", views.period_detail, name="period"),
    path("import/", views.import_register, name="import"),
    path("export.csv", views.export_register, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export_register, {"fmt": "xlsx"}, name="export_xlsx"),
]
