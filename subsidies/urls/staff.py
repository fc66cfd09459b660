from django.urls import path

from .. import views

app_name = "subsidies_staff"
urlpatterns = [
    path("", views.period_list, name="periods"),
    path("<str:code>/", views.period_detail, name="period"),
    path("<str:code>/status/<str:to>/", views.period_transition, name="transition"),
    path("<str:code>/berekenen/", views.start_run, name="start_run"),
    path("<str:code>/voortgang/", views.period_progress, name="progress"),
    path("<str:code>/simulatie/", views.what_if, name="what_if"),
    path("<str:code>/brieven/", views.send_letters, name="send_letters"),
    path("<str:code>/brieven/ontbrekende/", views.retry_letters, name="retry_letters"),
    path("<str:code>/brieven.zip", views.letters_zip, name="letters_zip"),
    path("<str:code>/betalingen.csv", views.export_awards, {"fmt": "csv"}, name="export_csv"),
    path("<str:code>/betalingen.xlsx", views.export_awards, {"fmt": "xlsx"}, name="export_xlsx"),
]
