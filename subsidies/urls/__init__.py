from django.urls import path

from .. import views, views_awards

app_name = "subsidies"
urlpatterns = [
    path("brieven/", views.my_letters, name="letters"),
    path("brieven/<int:pk>/", views.letter_download, name="letter"),
    path("toekenningen/<int:pk>/", views_awards.award_detail, name="award"),
    path(
        "toekenningen/<int:pk>/gemeente/<str:refnis>/",
        views_awards.award_municipality,
        name="award_municipality",
    ),
    path(
        "toekenningen/<int:pk>/sessie/<int:session_id>/",
        views_awards.award_session,
        name="award_session",
    ),
    path("toekenningen/<int:pk>/bezwaar/", views_awards.objection_new, name="objection_new"),
    path("bezwaren/<int:pk>/", views_awards.objection_detail, name="objection"),
    path(
        "bezwaren/<int:pk>/bijlagen/<int:attachment_pk>/",
        views_awards.objection_attachment,
        name="objection_attachment",
    ),
    path(
        "herzieningen/<int:pk>/brief.pdf",
        views_awards.correction_letter,
        name="correction_letter",
    ),
]
