from django.urls import path

from dangjian.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/<int:pk>/new/", views.plan, name="plan"),
    path("orgs/<int:pk>/record/", views.record_new, name="record_new"),
    path("orgs/<int:pk>/record-on-behalf/", views.record_on_behalf, name="record_on_behalf"),
    path("compliance/", views.compliance_home, name="compliance"),
    path("compliance/<int:pk>/", views.compliance, name="compliance_org"),
    path("county/", views.county, name="county"),
    path("live/", views.public_list, name="public"),
    path("live/<int:pk>.ics", views.public_ics, name="public_ics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("leave/<int:pk>/decision/", views.decide_leave, name="decide_leave"),
    path("<int:pk>/invitation.ics", views.invitation, name="invitation"),
    path("<int:pk>/motions/", views.add_motion, name="add_motion"),
    path("<int:pk>/attachments/", views.add_attachment, name="add_attachment"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/org-life/", views.org_life, name="org_life"),
    path("<int:pk>/rectifications/", views.add_rectification, name="add_rectification"),
    path("rectifications/<int:pk>/done/", views.complete_rectification, name="complete_rectification"),
    path("<int:pk>/review/", views.review, name="review"),
]
