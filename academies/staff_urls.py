"""Staff pages of the academies app, mounted under /staff/academies/."""

from django.urls import include, path

from .views import staff_recognition

app_name = "academies_staff"
urlpatterns: list = [
    path("aanvragen/", staff_recognition.queue, name="queue"),
    path("aanvragen/<int:pk>/", staff_recognition.review, name="review"),
    path("aanvragen/<int:pk>/beslissen/", staff_recognition.decide, name="decide"),
    path("", include("academies.staff_urls_activities")),
]
