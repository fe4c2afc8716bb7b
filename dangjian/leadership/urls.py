from django.urls import path

from dangjian.leadership import views

app_name = "leadership"
urlpatterns = [
    path("", views.index, name="index"),
    path("county/", views.county, name="county"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("schools/<int:pk>/appoint/", views.appoint, name="appoint"),
    path("schools/<int:pk>/plan/", views.plan, name="plan"),
    path("schools/<int:pk>/meetings/<int:meeting>/", views.meeting, name="meeting"),
    path("schools/<int:pk>/meetings/<int:meeting>/record/", views.record, name="record"),
    path("schools/<int:pk>/meetings/<int:meeting>/items/", views.add_item, name="add_item"),
    path("schools/<int:pk>/rules/", views.rules_list, name="rules"),
    path("schools/<int:pk>/rules/new/", views.rules_new, name="rules_new"),
    path("seats/<int:pk>/end/", views.end_seat, name="end_seat"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/decide/", views.decide, name="decide"),
    path("items/<int:pk>/report/", views.report, name="report"),
    path("rules/<int:pk>/", views.rules_detail, name="rules_detail"),
    path("rules/<int:pk>/submit/", views.rules_submit, name="rules_submit"),
    path("rules/<int:pk>/approve/", views.rules_approve, name="rules_approve"),
    path("rules/<int:pk>/return/", views.rules_return, name="rules_return"),
]
