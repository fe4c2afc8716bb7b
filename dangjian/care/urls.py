from django.urls import path

from dangjian.care import views

app_name = "care"
urlpatterns = [
    path("", views.student_list, name="students"),
    path("new/", views.student_new, name="student_new"),
    path("export.xlsx", views.export, name="export"),
    path("pairings/", views.pairing_list, name="pairings"),
    path("audit/", views.audit_log, name="audit"),
    path("<int:pk>/", views.student_detail, name="student"),
    path("<int:pk>/edit/", views.student_edit, name="student_edit"),
    path("<int:pk>/reveal/", views.student_reveal, name="reveal"),
    path("<int:pk>/pair/", views.student_pair, name="pair"),
    path("<int:pk>/assistance/", views.student_assist, name="assist"),
    path("<int:pk>/visit/", views.student_visit, name="visit"),
    path("<int:pk>/archive/", views.student_archive, name="archive"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/apply/", views.round_apply, name="round_apply"),
    path("rounds/<int:pk>/decide/<int:application_pk>/", views.round_decide, name="round_decide"),
    path("rounds/<int:pk>/publicize/", views.round_publicize, name="round_publicize"),
    path("rounds/<int:pk>/record/", views.round_record, name="round_record"),
    path("rounds/<int:pk>/notice/", views.round_notice, name="round_notice"),
]
