from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.xlsx", views.export, name="export"),
    path("dashboard.pdf", views.pdf, name="pdf"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("lag/", views.lag_view, name="lag"),
    path("lag/supervise/", views.lag_supervise, name="lag_supervise"),
    path("lag.pdf", views.lag_pdf, name="lag_pdf"),
    path("compare/", views.compare_view, name="compare"),
]
