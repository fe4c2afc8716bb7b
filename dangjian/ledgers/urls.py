from django.urls import path

from dangjian.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/<int:pk>/", views.org_ledgers, name="org"),
    path("orgs/<int:pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
]
