from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/statistieken/", views.statistics, name="statistics"),
    path("staff/audit/", views.audit_log, name="audit_log"),
]
