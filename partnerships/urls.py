from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/partners/", views.add_member, name="add_member"),
    path(
        "<int:pk>/partners/<int:member_pk>/verwijderen/",
        views.remove_member,
        name="remove_member",
    ),
    path("<int:pk>/budget/", views.budget, name="budget"),
    path("vragen/", views.requests, name="requests"),
    path("vragen/nieuw/", views.new_request, name="new_request"),
    path("vragen/<int:pk>/", views.request_detail, name="request"),
    path("vragen/<int:pk>/intrekken/", views.withdraw_request, name="withdraw_request"),
    path("aanbod/<int:pk>/beslissen/", views.decide_offer, name="decide_offer"),
]
