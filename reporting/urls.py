from django.urls import path

from .views import (
    audit,
    catalogue,
    coverage,
    dashboard,
    directory,
    downloads,
    home,
    privacy,
    retention,
    statistics,
)

app_name = "reporting"
urlpatterns = [
    path("staff/", home.staff_home, name="staff_home"),
    path("staff/statistieken/", statistics.statistics, name="statistics"),
    path("staff/audit/", audit.audit_log, name="audit_log"),
    path("staff/academies-overzicht/", directory.academy_directory, name="academy_directory"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("staff/bewaartermijn/", retention.retention_page, name="retention"),
    path("gegevens/academie/<int:pk>/", privacy.academy_export, name="academy_export"),
]

# Network dashboard, exports and the public catalogue (reporting/views/dashboard.py, ...).
urlpatterns += [
    path("staff/cijfers/", dashboard.dashboard_page, name="dashboard"),
    path("staff/cijfers/lijst/<slug:figure>/", dashboard.figure_list, name="dashboard_list"),
]

urlpatterns += [
    path("staff/downloads/", downloads.downloads, name="downloads"),
    path("staff/downloads/status/", downloads.downloads_status, name="downloads_status"),
    path("staff/downloads/nieuw/", downloads.start_export, name="start_export"),
    path("staff/downloads/<int:pk>/bestand/", downloads.download, name="download"),
]

# Public catalogue (no login) and UiTdatabank event JSON.
urlpatterns += [
    path("catalogus/", catalogue.catalogue, name="catalogue"),
    path("catalogus/academies/<int:pk>/", catalogue.academy_detail, name="catalogue_academy"),
    path("catalogus/activiteiten/<int:pk>/", catalogue.activity_detail, name="catalogue_activity"),
    path(
        "catalogus/activiteiten/<int:pk>/uitdatabank.json",
        catalogue.uitdatabank_activity,
        name="uitdatabank_activity",
    ),
    path("catalogus/uitdatabank.json", catalogue.uitdatabank_bulk, name="uitdatabank_bulk"),
]

# Municipal coverage: the map, tables and exports, and priority municipalities.
urlpatterns += [
    path("staff/dekking/", coverage.flanders, name="coverage_flanders"),
    path("staff/dekking/export.csv", coverage.flanders_export, {"fmt": "csv"}, name="coverage_csv"),
    path(
        "staff/dekking/export.xlsx",
        coverage.flanders_export,
        {"fmt": "xlsx"},
        name="coverage_xlsx",
    ),
    path(
        "staff/dekking/gemeente/<str:refnis>/",
        coverage.flanders_municipality,
        name="coverage_flanders_municipality",
    ),
    path("staff/dekking/prioriteiten/", coverage.priorities, name="coverage_priorities"),
    path("dekking/partnerschap/<int:pk>/", coverage.region, name="coverage_region"),
    path(
        "dekking/partnerschap/<int:pk>/export.csv",
        coverage.region_export,
        {"fmt": "csv"},
        name="coverage_region_csv",
    ),
    path(
        "dekking/partnerschap/<int:pk>/export.xlsx",
        coverage.region_export,
        {"fmt": "xlsx"},
        name="coverage_region_xlsx",
    ),
    path(
        "dekking/partnerschap/<int:pk>/gemeente/<str:refnis>/",
        coverage.region_municipality,
        name="coverage_region_municipality",
    ),
]
