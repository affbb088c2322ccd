"""Count the Python calls one request to each key page makes: the measure that does not vary
from run to run, where requests per second on a shared 2-core machine vary by a fifth.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/calls.py [--page queue] [--requests 50] [--top 25]

The same database, sessions and pages as ``bench/run.py`` (the DMO, DCO and commissioner of
the load data's area 001; 20 signed plans in turn), in this process, with Django's test
client: a few requests to warm up (the first of a session writes to it), then ``--requests``
under cProfile. It prints, for each page, the calls a request makes (every call, and the
primitive ones: not recursive) and the queries of one more request with the caches warm
(for a signed-in page one fewer than ``bench/run.py`` counts: it empties the cache first,
so the session is read from the database). ``--top N`` prints
where the calls go (sorted by ``--sort``, cProfile's names: tottime, cumulative, ncalls);
``--save PATH`` writes each page's profile for ``pstats`` to read.

Two runs on the same data and code give the same counts to within a few calls (a cache
entry that expires, a session saved again), so a change of one per cent is seen here that
no HTTP run on this machine can show. It counts work, not time: a call into the C parts of
PostgreSQL's driver counts once whatever it costs; read it beside ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402 (bench/run.py: the same pages and sessions)

WARM_UP = 3


def count(client, paths, requests: int, profile: cProfile.Profile) -> None:
    for n in range(requests):
        path = paths[n % len(paths)]
        profile.enable()
        response = client.get(path)
        profile.disable()
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="", help="only the pages whose label contains this")
    parser.add_argument("--requests", type=int, default=50, choices=range(1, 1001), metavar="N")
    parser.add_argument("--top", type=int, default=0, choices=range(0, 201), metavar="N")
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative", "ncalls"))
    parser.add_argument(
        "--save", default="", metavar="PATH", help="write each page's profile to PATH.<n>.prof"
    )
    args = parser.parse_args(argv)

    run.setup_django()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    clients, _cookies, pages, _year = run.sessions_and_pages(timezone.localdate())
    chosen = [page for page in pages if args.page.lower() in page[0].lower()]
    if not chosen:
        parser.error(f"no page's label contains {args.page!r}")
    print(f"Python calls per request ({args.requests} requests a page), {datetime.date.today()}")
    print(f"{'page':<58} {'calls':>9} {'primitive':>10} {'queries':>8}")
    for label, who, paths in chosen:
        if who is None:
            from django.test import Client

            client = Client()
        else:
            client = clients[who]
        for n in range(WARM_UP):
            client.get(paths[n % len(paths)])
        cache.clear()
        client.get(paths[0])  # the caches filled again, as between most requests
        profile = cProfile.Profile()
        count(client, paths, args.requests, profile)
        with CaptureQueriesContext(connection) as captured:
            client.get(paths[-1])
        stats = pstats.Stats(profile, stream=io.StringIO())
        print(
            f"{label[:58]:<58} {stats.total_calls / args.requests:>9,.0f} "
            f"{stats.prim_calls / args.requests:>10,.0f} {len(captured):>8}"
        )
        if args.save:
            profile.dump_stats(f"{args.save}.{chosen.index((label, who, paths))}.prof")
        if args.top:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
