from django.contrib.auth import views as auth_views
from django.urls import path

from dangjian.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.me, name="me"),
    path("display/", views.display_mode, name="display"),
    path("me/tokens/", views.my_tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("password/", views.PasswordView.as_view(), name="password"),
    path("audit/", views.audit_log, name="audit"),
]
