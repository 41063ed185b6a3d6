from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.comment_post, name="post"),
    path("<int:comment_id>/reply/", views.comment_reply, name="reply"),
    path("<int:comment_id>/report/", views.comment_report, name="report"),
    path("notifications/confirm/<str:token>/", views.notify_confirm, name="notify-confirm"),
    path("notifications/unsubscribe/<str:token>/", views.notify_unsubscribe, name="unsubscribe"),
]
