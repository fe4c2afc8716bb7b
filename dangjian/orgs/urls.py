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
    path("people/<int:pk>/leave/", views.person_leave, name="person_leave"),
    path("people/<int:pk>/transfer/", views.person_transfer, name="person_transfer"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/reset-password/", views.person_reset_password, name="person_reset_password"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("<int:pk>/appoint/", views.appoint, name="appoint"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("tree/", views.tree, name="tree"),
    path("<int:pk>/new/", views.org_create, name="org_create"),
    path("<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("<int:pk>/dissolve/", views.org_dissolve, name="org_dissolve"),
    path("schools/new/", views.school_create, name="school_create"),
    path("setup/", views.setup, name="setup"),
    path("setup/import/", views.setup_import, name="setup_import"),
    path("setup-template.xlsx", views.setup_template, name="setup_template"),
]
