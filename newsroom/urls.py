from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from .health import healthz, healthz_full

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/full", healthz_full, name="healthz-full"),
    # Before the admin: its catch-all would answer these paths with 404.
    path("admin/security/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("comments/", include("comments.urls")),
    path("newsletter/", include("newsletter.urls")),
    # The development mail outbox; answers 404 unless it is the email backend.
    path("dev/mail/", include("devmail.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The reader site last: its home page is the empty prefix.
urlpatterns += [path("", include("articles.urls")), path("", include("website.urls"))]

handler404 = "website.views.page_not_found"
handler500 = "website.views.server_error"
