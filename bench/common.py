"""Helpers every benchmark in bench/ uses: the benchmark database, free ports, CPU time of
processes and of the PostgreSQL backends serving a database."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for the next line
from edgecache.testing import free_port  # noqa: F401 - the benchmarks' servers take one too


def ensure_database(url: str) -> None:
    """Create the benchmark database named in ``url`` if it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.replace(parts.path, "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds(cursor) -> float:
    """CPU time used so far by the PostgreSQL backends connected to the cursor's database (a
    server's persistent connections), the cursor's own excepted."""
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )
    return sum(cpu_seconds(pid) for (pid,) in cursor.fetchall())
