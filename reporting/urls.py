from django.urls import path

from .views import audit, home, statistics

app_name = "reporting"
urlpatterns = [
    path("staff/", home.staff_home, name="staff_home"),
    path("staff/statistieken/", statistics.statistics, name="statistics"),
    path("staff/audit/", audit.audit_log, name="audit_log"),
]

# Municipal coverage (issue 9): the map, tables and exports, and priority municipalities.
from .views import coverage  # noqa: E402

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
