"""A real varnishd running the repository's VCL in front of a local server, for the tests and
the benchmarks: free port, a working directory of its own, the backend and the purgers ACL
written into a site.vcl that shadows deploy/varnish/site.vcl."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

VCL_DIR = Path(__file__).resolve().parent.parent / "deploy" / "varnish"

SITE_VCL = """
backend web {
    .host = "127.0.0.1";
    .port = "%(port)d";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .probe = {
        .request = "GET /robots.txt HTTP/1.1" "Host: 127.0.0.1" "Connection: close";
        .interval = %(probe_interval)s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

acl purgers {
    "127.0.0.1";
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def varnishd_available() -> bool:
    return shutil.which("varnishd") is not None


class Varnish:
    """``Varnish(backend_port).start()``; ``.url``; ``.stop()``."""

    def __init__(self, backend_port: int, *, probe_interval: str = "1s", memory: str = "256m"):
        self.backend_port = backend_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        (self.folder / "site.vcl").write_text(
            SITE_VCL % {"port": backend_port, "probe_interval": probe_interval}
        )
        self.args = [
            shutil.which("varnishd") or "varnishd", "-F", "-j", "none",
            "-n", str(self.folder / "work"),
            "-a", f"127.0.0.1:{self.port}", "-T", "127.0.0.1:0",
            "-f", str(VCL_DIR / "default.vcl"),
            "-p", f"vcl_path={self.folder}:{VCL_DIR}",
            "-s", f"malloc,{memory}",
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "Varnish":
        self.log = open(self.folder / "varnishd.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own varnishd command line
            self.args, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"varnishd did not listen in {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return (self.folder / "varnishd.log").read_text()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
