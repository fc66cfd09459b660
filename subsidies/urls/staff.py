from django.urls import path

from .. import views, views_awards

app_name = "subsidies_staff"
urlpatterns = [
    # Before "<str:code>/": these words are not period codes.
    path("bezwaren/", views_awards.objection_list, name="objections"),
    path("begroting/", views_awards.budget, name="budget"),
    path(
        "toekenningen/<int:pk>/herziening/",
        views_awards.correction_new,
        name="correction_new",
    ),
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
    path("<str:code>/bezwaartermijn/", views_awards.objection_days, name="objection_days"),
    path(
        "<str:code>/herzieningen.csv",
        views_awards.export_corrections,
        {"fmt": "csv"},
        name="corrections_csv",
    ),
    path(
        "<str:code>/herzieningen.xlsx",
        views_awards.export_corrections,
        {"fmt": "xlsx"},
        name="corrections_xlsx",
    ),
]
