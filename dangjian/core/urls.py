from django.contrib.auth import views as auth_views
from django.urls import path

from dangjian.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="core/password.html", success_url="/me/"),
        name="password",
    ),
    path("audit/", views.audit_log, name="audit"),
]
