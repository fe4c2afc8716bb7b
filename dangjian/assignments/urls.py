from django.urls import path

from . import views

app_name = "assignments"
urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("new/<int:org_pk>/", views.assignment_new, name="new"),
    path("<int:pk>/", views.assignment_detail, name="detail"),
    path("<int:pk>/status.xlsx", views.assignment_export, name="export"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/report/", views.target_report, name="report"),
    path("targets/<int:pk>/supervise/", views.target_supervise, name="supervise"),
    path("reports/<int:pk>/file/", views.report_file, name="file"),
]
