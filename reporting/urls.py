from django.urls import path

from .views import audit, directory, home, statistics

app_name = "reporting"
urlpatterns = [
    path("staff/", home.staff_home, name="staff_home"),
    path("staff/statistieken/", statistics.statistics, name="statistics"),
    path("staff/audit/", audit.audit_log, name="audit_log"),
    path("staff/academies-overzicht/", directory.academy_directory, name="academy_directory"),
]
