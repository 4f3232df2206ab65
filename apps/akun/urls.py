from django.urls import path

from . import views

app_name = "akun"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("token/", views.token_list, name="token_list"),
    path("token/baru/", views.token_create, name="token_create"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
