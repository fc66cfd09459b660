"""Root URLconf: the composition of every app's pages. It lives outside the apps because it
imports from all of them (stemnet is the base every app builds on)."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from reporting.views.home import home
from stemnet.views import favicon, healthz

admin.site.site_header = "STEM-academies — beheer"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The public catalogue moved to reporting; old links keep working.
    path(
        "academies/catalogus/",
        RedirectView.as_view(pattern_name="reporting:catalogue", query_string=True, permanent=True),
    ),
    path("academies/", include("academies.urls")),
    path("staff/academies/", include("academies.urls.staff")),
    path("subsidies/", include("subsidies.urls")),
    path("staff/subsidies/", include("subsidies.urls.staff")),
    path("partnerships/", include("partnerships.urls")),
    path("staff/partnerships/", include("partnerships.staff_urls")),
    path("berichten/", include("stemnet.urls")),
    path("staff/berichten/", include("stemnet.staff_urls")),
    path("", include("reporting.urls")),
]
