from django.urls import path

from dangjian.voice import views

app_name = "voice"
urlpatterns = [
    path("", views.concern_list, name="list"),
    path("new/", views.submit, name="submit"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("public/", views.public_submit, name="public_submit"),
    path("public/follow/", views.follow, name="follow"),
    path("public/stats/", views.public_stats, name="public_stats"),
]
