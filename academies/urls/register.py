"""One academy's register: activities, series, sessions, participants, attendance,
imports and period reports; included by ``academies.urls`` under ``<int:academy_id>/``."""

from django.urls import path

from ..views import activities, imports, participants, periods, series, sessions

urlpatterns = [
    path("activiteiten/", activities.activity_list, name="activities"),
    path("activiteiten/<int:pk>/", activities.activity_detail, name="activity"),
    path("activiteiten/<int:pk>/bewerken/", activities.activity_edit, name="activity_edit"),
    path("reeksen/<int:pk>/", series.series_detail, name="series"),
    path("reeksen/<int:pk>/bewerken/", series.series_edit, name="series_edit"),
    path(
        "reeksen/<int:pk>/deelnemers/",
        series.series_add_participant,
        name="series_add_participant",
    ),
    path("reeksen/<int:pk>/sessies/", series.series_add_session, name="series_add_session"),
    path(
        "reeksen/<int:pk>/deelnemers/kopieren/",
        series.series_copy_participants,
        name="series_copy_participants",
    ),
    path(
        "reeksen/<int:series_pk>/deelnemers/<int:participant_pk>/uitschrijven/",
        series.participant_unenrol,
        name="participant_unenrol",
    ),
    path("sessies/<int:pk>/bewerken/", sessions.session_edit, name="session_edit"),
    path("sessies/<int:pk>/verwijderen/", sessions.session_delete, name="session_delete"),
    path(
        "sessies/<int:session_id>/deelnemers/<int:participant_id>/",
        sessions.attendance_toggle,
        name="attendance_toggle",
    ),
    path(
        "sessies/<int:pk>/iedereen-aanwezig/",
        sessions.session_all_present,
        name="session_all_present",
    ),
    path("deelnemers/<int:pk>/bewerken/", participants.participant_edit, name="participant_edit"),
    path("periodes/", periods.current_period, name="current_period"),
    path("periodes/<str:code>/", periods.period_detail, name="period"),
    path("import/", imports.import_register, name="import"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("export.csv", imports.export_register, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", imports.export_register, {"fmt": "xlsx"}, name="export_xlsx"),
]
