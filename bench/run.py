"""Run every benchmark in bench/ (files named bench_*.py), one after the other.

Benchmarks run against PostgreSQL and Redis: DATABASE_URL and REDIS_URL must point at them
(defaults: the local servers). Each benchmark prints its own figures; docs/performance.md
records them with the command that produced them.

    make bench                      # all of them
    make bench BENCH=site           # only bench/bench_site.py
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsroom_bench",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        **os.environ,
    }
    if not env["DATABASE_URL"].startswith("postgres"):
        sys.exit("Benchmarks need PostgreSQL: set DATABASE_URL=postgres://...")
    if not env["REDIS_URL"].startswith("redis"):
        sys.exit("Benchmarks need Redis: set REDIS_URL=redis://...")
    only = os.environ.get("BENCH")
    scripts = sorted(HERE.glob(f"bench_{only or '*'}.py"))
    if not scripts:
        sys.exit(f"No benchmark matches {only!r}")
    failed = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        failed += subprocess.call([sys.executable, str(script)], env=env) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
