"""Organisation pages: dashboard, registration, profile, members, recognition. (The public
catalogue is public UI: it lives in reporting.)"""

from django.urls import path

from ..views import dashboard, profile, recognition

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("start/", dashboard.start, name="start"),
    path("registreren/", profile.register, name="register"),
    path("uitnodiging/<str:token>/", profile.accept_invitation, name="accept_invitation"),
    path("<int:pk>/profiel/", profile.detail, name="detail"),
    path("<int:pk>/profiel/bewerken/", profile.edit, name="edit"),
    path("<int:pk>/leden/", profile.members, name="members"),
    path("<int:pk>/kiezen/", profile.switch, name="switch"),
    path("<int:pk>/erkenning/", recognition.application, name="application"),
    path(
        "<int:pk>/erkenning/bijlagen/<int:attachment_pk>/",
        recognition.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/erkenning/bijlagen/<int:attachment_pk>/verwijderen/",
        recognition.attachment_delete,
        name="attachment_delete",
    ),
]
