"""Staff pages of partnerships (under /staff/: two-factor authentication required)."""

from django.urls import path

from . import views

app_name = "partnerships_staff"
urlpatterns = [
    path("nieuw/", views.edit, name="create"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
]
