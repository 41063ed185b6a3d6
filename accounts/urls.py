from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.security_overview, name="overview"),
    path("verify/", views.second_factor_verify, name="verify"),
    path("setup/", views.second_factor_setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("remove/", views.second_factor_remove, name="remove"),
]
