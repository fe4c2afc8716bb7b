from django.urls import path

from dangjian.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("county/", views.county, name="county"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/roster.xlsx", views.roster_export, name="roster_export"),
    path("<int:pk>/import/", views.roster_import, name="roster_import"),
    path("imports/<int:pk>/", views.roster_import_job, name="roster_import_job"),
    path("roster-template.xlsx", views.roster_template, name="roster_template"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/access/", views.person_access, name="person_access"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("<int:pk>/appoint/", views.appoint, name="appoint"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
]
