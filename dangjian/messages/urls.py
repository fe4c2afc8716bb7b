from django.urls import path

from dangjian.messages import views

app_name = "messages"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.open_message, name="open"),
    path("<int:pk>/read/", views.read, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("todo/", views.todo, name="todo"),
    path("settings/", views.channel_settings, name="settings"),
    path("failures/", views.failures, name="failures"),
    path("failures/<int:pk>/retry/", views.retry, name="retry"),
    path("robots/", views.robots, name="robots"),
    path("notices/", views.notices, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/files/<int:file_pk>/", views.notice_file, name="notice_file"),
    path("notices/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("public/", views.public_notices, name="public_notices"),
    path("public/<int:pk>/", views.public_notice, name="public_notice"),
    path("public/<int:pk>/files/<int:file_pk>/", views.public_file, name="public_file"),
]
