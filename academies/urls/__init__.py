"""The academies app's pages for members and the public (namespace ``academies``): its
organisation pages, and the register pages of one academy under ``<int:academy_id>/``.
Staff pages are in ``academies.urls.staff``."""

from django.urls import include, path

from . import organisation

app_name = "academies"
urlpatterns = [
    *organisation.urlpatterns,
    path("<int:academy_id>/", include("academies.urls.register")),
]
