from django.urls import path

from . import views

app_name = "devmail"
urlpatterns = [
    path("", views.mail_list, name="list"),
    path("empty/", views.mail_empty, name="empty"),
    path("<str:mail_id>/", views.mail_detail, name="detail"),
    path("<str:mail_id>/html/", views.mail_html, name="html"),
]
