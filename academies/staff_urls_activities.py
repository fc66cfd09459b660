"""Staff pages for school holidays; included under /staff/academies/."""

from django.urls import path

from .views import holidays

urlpatterns = [
    path("schoolvakanties/", holidays.holiday_list, name="holidays"),
    path("schoolvakanties/<int:pk>/verwijderen/", holidays.holiday_delete, name="holiday_delete"),
]
