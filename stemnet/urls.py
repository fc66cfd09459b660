"""Each user's messages and preferences."""

from django.urls import path

from . import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("voorkeuren/", views.preferences, name="preferences"),
    path("<int:pk>/", views.detail, name="detail"),
]
