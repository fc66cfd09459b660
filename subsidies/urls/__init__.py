from django.urls import path

from .. import views

app_name = "subsidies"
urlpatterns = [
    path("brieven/", views.my_letters, name="letters"),
    path("brieven/<int:pk>/", views.letter_download, name="letter"),
]
