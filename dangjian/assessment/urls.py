from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.home, name="home"),
    path("systems/new/", views.system_new, name="system_new"),
    path("systems/<int:pk>/", views.system_detail, name="system"),
    path("systems/<int:pk>/indicators/add/", views.indicator_add, name="indicator_add"),
    path("systems/<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/compute/", views.round_compute, name="round_compute"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:pk>/results.xlsx", views.round_export, name="round_export"),
    path("rounds/<int:pk>/schools/<int:school_pk>/score/", views.score, name="score"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/gap/", views.gap, name="gap"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/sheet.xlsx", views.visit_export, name="visit_export"),
    path("visits/<int:pk>/schools/<int:school_pk>/", views.visit_score, name="visit_score"),
    path("visits/<int:pk>/arrivals/", views.visit_arrivals, name="visit_arrivals"),
    path("visits/<int:pk>/route/", views.visit_route, name="visit_route"),
    path("visits/<int:pk>/groups/", views.visit_group, name="visit_group"),
    path("visits/<int:pk>/observers/", views.visit_observer, name="visit_observer"),
    path("visits/<int:pk>/close/", views.visit_close, name="visit_close"),
    path("visits/<int:pk>/mine/", views.visit_mine, name="visit_mine"),
    path("visits/<int:pk>/observers/<int:observer_pk>/qr.png", views.observer_qr, name="observer_qr"),
    path("visits/<int:pk>/report/", views.visit_report, name="visit_report"),
    path("visits/<int:pk>/bulletin.pdf", views.visit_bulletin, name="visit_bulletin"),
    path("observe/<str:token>/", views.observe, name="observe"),
    path("observe/<str:token>/schools/<int:school_pk>/", views.observe_sheet, name="observe_sheet"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/done/", views.rectification_done, name="rectification_done"),
]
