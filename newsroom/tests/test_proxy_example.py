"""The nginx example of docs/deployment.md (deploy/nginx/newsroom.conf), run as written by a
real nginx (Debian's nginx-light) in front of gunicorn: an uploaded image straight from the
media folder, a static file and a page through gunicorn, over TLS, and plain HTTP redirected."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from articles.tests.factories import ArticleFactory
from newsroom.tests.processes import BASE_DIR, free_port, gunicorn, wait_until

CONFIG = BASE_DIR / "deploy" / "nginx" / "newsroom.conf"
DEPLOYMENT = (BASE_DIR / "docs" / "deployment.md").read_text()
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# A JPEG as an upload leaves it: the bytes on disk must come back unchanged.
IMAGE = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def test_the_deployment_guide_shows_the_nginx_example_as_it_is_tested():
    assert f"```nginx\n{CONFIG.read_text()}```" in DEPLOYMENT


def _adapted(config: str, replacements: dict[str, str]) -> str:
    """The example with this machine's ports and files; each replaced text must be there, so
    the test breaks rather than quietly testing less when the example changes."""
    for old, new in replacements.items():
        assert old in config, f"the nginx example no longer contains {old!r}"
        config = config.replace(old, new)
    return config


class Nginx:
    """nginx in the foreground with the example as its one site, files in ``folder``."""

    def __init__(self, folder: Path, site: str):
        self.folder = folder
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / name).mkdir()
        (folder / "site.conf").write_text(site)
        temp_paths = "".join(
            f"    {kind}_temp_path {folder / name};\n"
            for kind, name in (
                ("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"),
                ("uwsgi", "uwsgi"), ("scgi", "scgi"),
            )
        )  # fmt: skip
        # Run as root (as CI does), the workers must read the test's private folders too.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} info;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            "    access_log off;\n"
            f"{temp_paths}"
            f"    include {folder / 'site.conf'};\n"
            "}\n"
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (nginx-light)")
def test_the_nginx_example_serves_media_static_files_and_pages(tmp_path):
    import trustme

    ArticleFactory(published=True, title="Ferries return to the old quay")
    media = tmp_path / "media"
    (media / "heroes" / "2026").mkdir(parents=True)
    (media / "heroes" / "2026" / "quay.jpg").write_bytes(IMAGE)
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    shutil.copy(BASE_DIR / "static" / "css" / "site.css", static / "css" / "site.css")
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    certificate.private_key_pem.write_to_path(tmp_path / "key.pem")
    for n, blob in enumerate(certificate.cert_chain_pems):
        blob.write_to_path(tmp_path / "chain.pem", append=n > 0)
    authority.cert_pem.write_to_path(tmp_path / "ca.pem")

    web_port, http_port, https_port = free_port(), free_port(), free_port()
    site = _adapted(
        CONFIG.read_text(),
        {
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "server_name news.example.org;": "server_name 127.0.0.1;",
            "/etc/letsencrypt/live/news.example.org/fullchain.pem": str(tmp_path / "chain.pem"),
            "/etc/letsencrypt/live/news.example.org/privkey.pem": str(tmp_path / "key.pem"),
            "alias /srv/newsroom/media/;": f"alias {media}/;",
            "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://127.0.0.1:{web_port};",
        },
    )
    base = f"https://127.0.0.1:{https_port}"

    def get(url: str, headers: dict | None = None) -> requests.Response:
        # Our authority, whatever REQUESTS_CA_BUNDLE says (requests prefers it to a session's).
        return requests.get(url, headers=headers, timeout=10, verify=str(tmp_path / "ca.pem"))

    web = gunicorn("newsroom.wsgi", web_port, static_root=static, MEDIA_ROOT=str(media))
    folder = tmp_path / "nginx"
    folder.mkdir()
    nginx = None
    try:
        nginx = Nginx(folder, site)
        wait_until(lambda: _answers(get, f"{base}/healthz") or nginx.process.poll() is not None)
        assert nginx.process.poll() is None, nginx.process.stdout.read() + nginx.log()

        image = get(f"{base}/media/heroes/2026/quay.jpg")
        assert image.status_code == 200, nginx.log()
        assert image.content == IMAGE and image.headers["Content-Type"] == "image/jpeg"
        assert image.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in image.headers["Content-Security-Policy"]
        assert "max-age=2592000" in image.headers["Cache-Control"]
        assert get(f"{base}/media/heroes/none.jpg").status_code == 404

        css = get(f"{base}/static/css/site.css")
        assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
        assert css.content == (BASE_DIR / "static" / "css" / "site.css").read_bytes()

        page = get(f"{base}/", headers={"Accept-Encoding": "br"})
        assert page.status_code == 200
        assert "Ferries return to the old quay" in page.text
        assert page.headers["Content-Encoding"] == "br"  # the site's own, passed through

        plain = requests.get(
            f"http://127.0.0.1:{http_port}/about/", timeout=10, allow_redirects=False
        )
        assert plain.status_code == 301
        assert plain.headers["Location"] == "https://127.0.0.1/about/"
    finally:
        if nginx is not None:
            nginx.stop()
        web.stop()


def _answers(get, url: str) -> bool:
    try:
        return get(url).status_code == 200
    except requests.RequestException:
        time.sleep(0.1)
        return False
