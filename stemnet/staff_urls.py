"""Staff's message log."""

from django.urls import path

from . import notification_views as views

app_name = "notifications_staff"

urlpatterns = [
    path("", views.staff_log, name="log"),
    path("<int:pk>/opnieuw/", views.resend, name="resend"),
]
