"""Count the machine instructions one request to a page costs, with valgrind's callgrind:
within a few hundredths of a per cent on every run of the same code and data, whatever else
the machine is doing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/instructions.py --path /sign-off/ [--who dmo] [--requests 40]

On a shared 2-core machine requests per second and even a process's CPU time vary by a
fifth from one minute to the next, so a change of a few per cent cannot be seen in them.
Instructions hardly vary: this runs the page in a Python process under callgrind twice,
once with ``--requests`` requests after five to warm up and once with the five alone, and
divides the difference (two runs of the same code gave 64.11 and 64.13 million a request
for the queue). Each run takes about a minute (valgrind runs Python 50 times slower). The
person is the load data's ``--who`` of area 001 (``dmo``, ``dco``, ``commissioner``),
signed in with Django's test client; the page's queries go to PostgreSQL, whose own work
is not counted.

Needs valgrind (Debian's package ``valgrind``). ``PYTHONHASHSEED`` is fixed so that sets
and dictionaries are built the same way on each run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 5
VALGRIND = shutil.which("valgrind")
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def requests_in_this_process(path: str, who: str, requests: int) -> None:
    """What callgrind counts: sign in, warm up, then ``requests`` GETs of ``path``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run  # bench/run.py: the same settings as the benchmark's

    run.setup_django()
    from django.test import Client

    from load_data.people import email
    from roles.models import User

    client = Client()
    client.force_login(User.objects.get(email=email(who, 1)))
    for _ in range(WARM_UP):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} for {who}")
    for _ in range(requests):
        client.get(path)


def instructions(path: str, who: str, requests: int) -> int:
    if VALGRIND is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        completed = subprocess.run(  # noqa: S603 - this script under valgrind, checked arguments
            [
                VALGRIND,
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/callgrind.out",
                sys.executable,
                __file__,
                "--in-process",
                "--path",
                path,
                "--who",
                who,
                "--requests",
                str(requests),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    found = _REFS.search(completed.stderr)
    if completed.returncode != 0 or not found:
        raise SystemExit(f"valgrind failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", required=True, help="the page's address, e.g. /sign-off/")
    parser.add_argument("--who", default="dmo", choices=("dmo", "dco", "commissioner"))
    parser.add_argument("--requests", type=int, default=40, choices=range(501), metavar="N")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.path.startswith("/") or "//" in args.path:
        parser.error("--path is an address on the portal, starting with one /")
    if args.in_process:  # under valgrind: 0 requests is the run without them
        requests_in_this_process(args.path, args.who, args.requests)
        return 0
    if args.requests < 1:
        parser.error("--requests is at least 1")
    without = instructions(args.path, args.who, 0)
    with_requests = instructions(args.path, args.who, args.requests)
    per_request = (with_requests - without) / args.requests
    print(f"{args.path} as {args.who}: {per_request / 1e6:,.2f} million instructions a request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
