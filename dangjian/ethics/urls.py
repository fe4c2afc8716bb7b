from django.urls import path

from dangjian.ethics import views

app_name = "ethics"
urlpatterns = [
    path("", views.index, name="index"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:case_pk>/evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("appraisals/", views.appraisals, name="appraisals"),
    path("appraisals/open/<int:org_pk>/", views.appraisal_open, name="appraisal_open"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/<slug:action>/", views.appraisal_action, name="appraisal_action"),
    path("distribution/", views.distribution, name="distribution"),
    path("eligibility/", views.eligibility, name="eligibility"),
]
