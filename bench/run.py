"""Benchmark the portal's key pages against PostgreSQL with load data, in one run.

    createdb, migrate and load (once; see docs/PERFORMANCE.md):
        psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE portal_bench"
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
            .venv/bin/python manage.py migrate
        DATABASE_URL=... PORTAL_BENCHMARK=true .venv/bin/python manage.py generate_load_data \\
            --scale 100
    then:
        DATABASE_URL=... .venv/bin/python bench/run.py --scale 100 --write docs/PERFORMANCE.md

What it does:

1. Starts gunicorn (2 sync workers) on 127.0.0.1 at a free port with DEBUG=false, the
   development environment (no HTTPS redirect), ``PORTAL_BENCHMARK=true`` (the load data
   app), ``PORTAL_BENCHMARK_FLOOR=true`` (the floor page and the plain admin changelist of
   plans) and ``PORTAL_REQUIRE_MFA=false`` (the sessions are made directly, without a second
   factor).
2. Makes signed-in sessions for the load data's DMO, DCO and commissioner of area 001 with
   Django's test client (``force_login``), and sends their session cookies.
3. For each page: warms up, then sends ``--requests`` GETs at ``--concurrency`` (threads
   with http.client, a new connection each, as gunicorn's sync workers close them) and
   records requests per second, p50 and p95. Pages: the floor (no database), the admin
   changelist of plans, About (the least a signed-in page costs), the DMO's home page, the
   DMO's sign-off queue, the DCO's meetings dashboard, a plan page (rotating over 20 signed
   plans of the DMO's area) and the commissioner report (last full quarter).
4. Counts the queries of one request to each page in this process (Django's test client
   and CaptureQueriesContext against the same database).
5. Times the commissioner report for a whole year (single requests, one after another),
   and downloads the concerns CSV for the whole 3 years (every concern) while sampling
   the gunicorn workers' resident memory, against a one-month CSV for comparison.
6. Repeats 3-5 ``--repeats`` times and reports the median of each figure, with the
   machine, the PostgreSQL version, the data scale, the date and the load average.
7. Capacity (unless ``--no-capacity``): the sign-off queue, the plan page and the DCO's
   dashboard at 8, 16, 32 and 64 clients, each client a session of its own with no think
   time: requests per second, p50 and p95, and the most clients served with p95 < 500 ms.

``--block NAME`` writes the results between markers of their own (``bench:start NAME``), so
that the runs at two scales (``--block scale-10``) sit side by side in one file.

All traffic goes to 127.0.0.1; every loop is bounded by a count and a timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
START_MARK = "<!-- bench:start (written by bench/run.py) -->"
END_MARK = "<!-- bench:end -->"
HTTP_TIMEOUT = 120
SIGNED_IN_MINIMUM = "Signed-in page with nothing of its own (About)"
#: The capacity table: clients at once, each with a session of its own and no think time.
CAPACITY_CLIENTS = (8, 16, 32, 64)
CAPACITY_PAGES = (
    "DMO sign-off queue",
    "Plan page (sections C and G, history)",
    "DCO meetings dashboard",
)
#: p95 a person still finds quick: the capacity table says how many clients stay under it.
CAPACITY_P95_MS = 500

SERVER_ENV = {
    "DEBUG": "false",
    "PORTAL_ENVIRONMENT": "development",
    "PORTAL_BENCHMARK": "true",
    "PORTAL_BENCHMARK_FLOOR": "true",
    "PORTAL_REQUIRE_MFA": "false",
    "LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # The case system's token outlasts a run at scale 100 (10 minutes by default).
    "API_ACCESS_TOKEN_MINUTES": "60",
}


def setup_django():
    for key, value in SERVER_ENV.items():
        os.environ.setdefault(key, value)
    # The query counts are taken with Django's test client, which calls itself "testserver".
    os.environ["ALLOWED_HOSTS"] = SERVER_ENV["ALLOWED_HOSTS"] + ",testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_portal.settings")
    import django

    django.setup()


# --- The server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, workers: int = 2):
        self.port = free_port()
        env = {**os.environ, **SERVER_ENV}
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "send_portal.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = get(self.port, "/bench/floor")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def get(port: int, path: str, cookie: str = "", sink=None):
    """One GET on a new connection: (status, body bytes, seconds to the last byte)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        headers = {"Host": "127.0.0.1"}
        if cookie.startswith("Bearer "):
            # A council's case system calling the API sends its access token, not a cookie.
            headers["Authorization"] = cookie
        elif cookie:
            headers["Cookie"] = cookie
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        if sink is None:
            body = response.read()
        else:
            body = b""
            size = 0
            while chunk := response.read(65536):
                size += len(chunk)
                sink(chunk)
            body = size
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


def hammer(
    port: int, paths: list[str], cookie: str | list[str], requests: int, concurrency: int
) -> dict:
    """``requests`` GETs spread over ``concurrency`` threads; latencies and throughput.
    ``cookie``: one session for every thread, or a list: thread i uses session i (modulo),
    so that each client is a person signed in on a device of their own."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    cookies = [cookie] if isinstance(cookie, str) else cookie

    def worker(own_cookie: str):
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            status, _, seconds = get(port, paths[n % len(paths)], own_cookie)
            with lock:
                latencies.append(seconds)
                if status != 200:
                    errors.append(status)

    threads = [
        threading.Thread(target=worker, args=(cookies[i % len(cookies)],))
        for i in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT * requests)
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": cuts[94] * 1000,
        "errors": errors,
    }


# --- Sessions, pages and query counts ------------------------------------------------------


def sessions_and_pages(today: datetime.date):
    from django.conf import settings
    from django.test import Client

    from ehcp.models import Plan
    from intelligence.report import last_full_quarter
    from load_data.people import email
    from roles.models import User
    from roles.selectors import areas_of

    def session_cookie(user) -> tuple[Client, str]:
        client = Client()
        client.force_login(user)
        return client, (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    cookies = {}
    clients = {}
    for key in ("dmo", "dco", "commissioner"):
        clients[key], cookies[key] = session_cookie(User.objects.get(email=email(key, 1)))
    # For the capacity table: each client a session of its own (a device each), as many as
    # the most clients measured.
    for key in ("dmo", "dco"):
        user = User.objects.get(email=email(key, 1))
        cookies[f"{key}-devices"] = [session_cookie(user)[1] for _ in range(max(CAPACITY_CLIENTS))]
    # Plans of the DMO's own area: another area's plan answers 404 (held apart by area).
    dmo = User.objects.get(email=email("dmo", 1))
    in_area = list(
        Plan.objects.filter(
            status=Plan.Status.SIGNED_OFF,
            versions__number=2,
            assessment__child__area_id__in=areas_of(dmo),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    signed = in_area[:: max(1, len(in_area) // 20)][:20]
    quarter = last_full_quarter(today)
    # The 12 months that end with the last full quarter.
    year_start = (quarter.end + datetime.timedelta(days=1)).replace(year=quarter.end.year - 1)
    pages = [
        # (label, who, paths)
        ("Floor: minimal view, no database", None, ["/bench/floor"]),
        ("Django admin changelist of plans", "dmo", ["/bench/admin/ehcp/plan/"]),
        # The least a signed-in page costs here: session, user with roles, the header's count
        # and the NHS.UK layout with its navigation, and no figures of its own.
        (SIGNED_IN_MINIMUM, "dmo", ["/about/"]),
        ("DMO home page (what needs doing)", "dmo", ["/"]),
        ("DMO sign-off queue", "dmo", ["/sign-off/"]),
        ("DCO meetings dashboard", "dco", ["/meetings/dashboard/"]),
        ("Plan page (sections C and G, history)", "dmo", [f"/plans/{pk}/" for pk in signed]),
        ("Commissioner report (last full quarter)", "commissioner", ["/intelligence/reports/"]),
    ]
    # The API beside the pages: a council's case system of the DMO's area (area 001), its
    # children list (a page of 50 by cursor) and an assessment with its dates and advice.
    token = case_system_token(email("send-officer-1", 1))
    cookies["case-system"] = f"Bearer {token}"
    clients["case-system"] = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assessments = list(
        Plan.objects.filter(pk__in=signed).order_by("pk").values_list("assessment_id", flat=True)
    )
    pages += [
        ("API: children list (a council's case system)", "case-system", ["/api/v1/children/"]),
        (
            "API: an assessment, its dates and advice",
            "case-system",
            [f"/api/v1/assessments/{pk}/" for pk in assessments],
        ),
    ]
    year = (year_start, quarter.end)
    return clients, cookies, pages, year


def case_system_token(send_officer_email: str) -> str:
    """An access token of the benchmark's case system, registered once at the council of
    ``send_officer_email`` in their areas; its secret is rotated on every run (the portal
    keeps only its hash), then a token asked for at the token endpoint."""
    from urllib.parse import urlencode

    from django.test import Client

    from case_systems import services
    from case_systems.models import CaseSystem
    from roles.models import LocalArea, RoleCode, User
    from roles.selectors import areas_of, current_assignment

    officer = User.objects.get(email=send_officer_email)
    case_system = CaseSystem.objects.filter(name="Benchmark case system").first()
    if case_system is None:
        credentials = services.register_case_system(
            name="Benchmark case system",
            organisation=current_assignment(officer, RoleCode.SEND_OFFICER).organisation,
            areas=LocalArea.objects.filter(pk__in=areas_of(officer)),
            rate_limit_per_minute=6000,
        )
    else:
        credentials = services.rotate_secret(case_system)
    response = Client().post(
        "/api/v1/token/",
        urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": credentials.client_id,
                "client_secret": credentials.client_secret,
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    if response.status_code != 200:
        raise RuntimeError(f"The benchmark's case system got no token: {response.status_code}")
    return response.json()["access_token"]


def query_counts(clients, pages) -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, who, paths in pages:
        if who is None:
            from django.test import Client

            client = Client()
        else:
            client = clients[who]
        client.get(paths[0])  # the first request of a session writes extra rows
        cache.clear()  # count a page built afresh (the report reuses its figures)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(paths[-1])
        if response.status_code != 200:
            raise RuntimeError(f"{label}: {paths[-1]} answered {response.status_code}")
        counts[label] = len(captured)
    return counts


# --- Memory while streaming the CSV ----------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def csv_download(server: Server, path: str, cookie: str) -> dict:
    pids = server.worker_pids()
    baseline = {pid: rss_kib(pid) for pid in pids}
    peak = dict(baseline)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in pids:
                with contextlib.suppress(OSError):  # a worker restarted
                    peak[pid] = max(peak[pid], rss_kib(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    lines = [0]

    def count(chunk):
        lines[0] += chunk.count(b"\n")

    try:
        status, size, seconds = get(server.port, path, cookie, sink=count)
    finally:
        stop.set()
        sampler.join()
    growth = max(peak[pid] - baseline[pid] for pid in pids)
    return {
        "status": status,
        "rows": lines[0] - 1,
        "bytes": size,
        "seconds": seconds,
        "rss_growth_mib": growth / 1024,
        "rss_peak_mib": max(peak.values()) / 1024,
    }


# --- The machine -------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
    }


def data_counts() -> dict:
    from ehcp.models import Child, Plan
    from intelligence.models import Concern
    from meetings.models import Meeting

    return {
        "plans": Plan.objects.count(),
        "children": Child.objects.count(),
        "concerns": Concern.objects.count(),
        "meetings": Meeting.objects.count(),
        "plan_history_rows": Plan.history.count(),
    }


# --- The run ----------------------------------------------------------------------------------


def run(args) -> dict:
    setup_django()
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        raise SystemExit("Run the benchmark against PostgreSQL (DATABASE_URL=postgres://...).")
    today = timezone.localdate()
    clients, cookies, pages, year = sessions_and_pages(today)
    queries = query_counts(clients, pages)
    year_path = f"/intelligence/reports/?start={year[0].isoformat()}&end={year[1].isoformat()}"
    with CaptureQueries() as captured:
        response = clients["commissioner"].get(year_path)
        assert response.status_code == 200, response.status_code
    queries["Commissioner report (a whole year)"] = captured.count
    with CaptureQueries() as captured:
        clients["commissioner"].get(pages[-1][2][0])
    queries["report warm"] = captured.count

    def cold_year_path(n: int) -> str:
        # A year starting n days earlier: a period no worker has computed yet.
        start = year[0] - datetime.timedelta(days=n + 1)
        return f"/intelligence/reports/?start={start.isoformat()}&end={year[1].isoformat()}"

    all_start = today - datetime.timedelta(days=3 * 365 + 2)
    csv_all = f"/intelligence/reports/concerns.csv?start={all_start}&end={today}"
    month_start = today - datetime.timedelta(days=30)
    csv_month = f"/intelligence/reports/concerns.csv?start={month_start}&end={today}"
    load_before = os.getloadavg()
    repeats = []
    server = Server(workers=2)
    try:
        for repeat in range(args.repeats):
            measured = {}
            for label, who, paths in pages:
                cookie = cookies[who] if who else ""
                hammer(server.port, paths, cookie, args.warmup, args.concurrency)
                measured[label] = hammer(
                    server.port, paths, cookie, args.requests, args.concurrency
                )
                print(
                    f"[{repeat + 1}/{args.repeats}] {label}: "
                    f"{measured[label]['rps']:.1f} rps, p50 {measured[label]['p50']:.1f} ms, "
                    f"p95 {measured[label]['p95']:.1f} ms",
                    flush=True,
                )
            year_times, warm_times = [], []
            for n in range(args.year_requests):
                path = cold_year_path(repeat * args.year_requests + n)
                status, _, seconds = get(server.port, path, cookies["commissioner"])
                assert status == 200, status
                year_times.append(seconds)
            for _ in range(4):
                status, _, seconds = get(server.port, year_path, cookies["commissioner"])
                warm_times.append(seconds)
            measured["year"] = {"times": year_times, "warm": warm_times}
            print(f"[{repeat + 1}] year report cold: {year_times} warm: {warm_times}", flush=True)
            repeats.append(measured)
        capacity = measure_capacity(server, pages, cookies, args) if args.capacity else {}
        csv_small = csv_download(server, csv_month, cookies["commissioner"])
        csv_big = csv_download(server, csv_all, cookies["commissioner"])
        print(f"CSV month: {csv_small}\nCSV all: {csv_big}", flush=True)
    finally:
        server.stop()
    load_after = os.getloadavg()
    summary = {}
    for label, _, _ in pages:
        summary[label] = {
            key: statistics.median(r[label][key] for r in repeats) for key in ("rps", "p50", "p95")
        }
        summary[label]["p50s"] = [r[label]["p50"] for r in repeats]
        summary[label]["errors"] = sum(len(r[label]["errors"]) for r in repeats)
        summary[label]["queries"] = queries[label]
    year_all = [t for r in repeats for t in r["year"]["times"]]
    warm_all = [t for r in repeats for t in r["year"]["warm"]]
    return {
        "machine": machine(),
        "data": data_counts(),
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": load_before,
        "load_after": load_after,
        "summary": summary,
        "floor": pages[0][0],
        "admin": pages[1][0],
        "year": {
            "period": f"{year[0]} to {year[1]}",
            "median": statistics.median(year_all),
            "max": max(year_all),
            "queries": queries["Commissioner report (a whole year)"],
            "warm_min": min(warm_all),
            "warm_queries": queries["report warm"],
        },
        "csv": {"month": csv_small, "all": csv_big},
        "capacity": capacity,
        "args": args,
    }


def measure_capacity(server: Server, pages, cookies: dict, args) -> dict:
    """For each page of CAPACITY_PAGES and each number of CAPACITY_CLIENTS: requests per
    second, p50 and p95, each client a session of its own sending its next request as soon
    as the last is answered (no think time): the most the 2 workers serve."""
    found: dict[str, dict[int, dict]] = {}
    for label, who, paths in pages:
        if label not in CAPACITY_PAGES:
            continue
        devices = cookies[f"{who}-devices"]
        hammer(server.port, paths, devices, args.warmup, 8)
        found[label] = {}
        for clients in CAPACITY_CLIENTS:
            found[label][clients] = hammer(
                server.port, paths, devices[:clients], max(args.requests, 4 * clients), clients
            )
            row = found[label][clients]
            print(
                f"capacity {label}, {clients} clients: {row['rps']:.1f} rps, "
                f"p50 {row['p50']:.0f} ms, p95 {row['p95']:.0f} ms",
                flush=True,
            )
    return found


class CaptureQueries:
    def __enter__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.context = CaptureQueriesContext(connection)
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)
        self.count = len(self.context)


def render(result: dict) -> str:
    m, d, args = result["machine"], result["data"], result["args"]
    floor = result["summary"][result["floor"]]["p50"]
    admin = result["summary"][result["admin"]]["p50"]
    minimum = result["summary"][SIGNED_IN_MINIMUM]["p50"]
    references = (result["floor"], result["admin"], SIGNED_IN_MINIMUM)
    lines = [
        START_MARK,
        f"Measured {result['when']} with `{command(args)}`.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; Linux "
        f"{m['kernel']}; Python {m['python']}; PostgreSQL {m['postgresql']} on the same machine.",
        "- Load average (1, 5, 15 min) before: "
        + ", ".join(f"{x:.2f}" for x in result["load_before"])
        + "; after: "
        + ", ".join(f"{x:.2f}" for x in result["load_after"])
        + " (the 2 cores are shared with other work: the figures are noisy).",
        f"- Data: scale {args.scale:g}: {d['plans']:,} plans, {d['children']:,} children, "
        f"{d['concerns']:,} concerns, {d['meetings']:,} meetings, "
        f"{d['plan_history_rows']:,} plan history rows.",
        "- Cache: "
        + (
            "Redis, shared by the workers (sessions read through it, as in production)."
            if os.environ.get("REDIS_URL")
            else "each worker's own memory (no REDIS_URL: sessions read from the database "
            "on every request)."
        ),
        f"- Server: gunicorn, 2 sync workers, DEBUG=false. Client: {args.concurrency} "
        f"concurrent threads, {args.requests} requests per page after {args.warmup} warm-up "
        f"requests, {args.repeats} repeats; the figures are the medians of the repeats.",
        "",
        "| page | requests/s | p50 ms | p95 ms | queries | p50 ÷ floor p50 | within 5× floor | "
        "faster than admin | p50 ÷ signed-in minimum | p50 of each repeat (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |",
    ]
    for label, row in result["summary"].items():
        ratio = row["p50"] / floor
        reference = label in references
        lines.append(
            f"| {label} | {row['rps']:.1f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['queries']} | {ratio:.1f}× | "
            f"{'—' if reference else ('yes' if ratio <= 5 else '**no**')} | "
            f"{'—' if reference else ('yes' if row['p50'] < admin else '**no**')} | "
            f"{row['p50'] / minimum:.1f}× | "
            + ", ".join(f"{p:.1f}" for p in row["p50s"])
            + (f" ({row['errors']} errors)" if row["errors"] else "")
            + " |"
        )
    y = result["year"]
    small, big = result["csv"]["month"], result["csv"]["all"]
    lines += [
        "",
        f"- Commissioner report for a whole year ({y['period']} and years starting a few days "
        f"earlier, so that each is computed afresh), single requests one after another: "
        f"median {y['median'] * 1000:.0f} ms, slowest {y['max'] * 1000:.0f} ms, "
        f"{y['queries']} queries ({'under' if y['max'] < 1 else '**over**'} the 1 s target). "
        f"Served again from the cached figures: {y['warm_min'] * 1000:.0f} ms, "
        f"{y['warm_queries']} queries.",
        "- Queries are counted for a page built afresh (the report's cache emptied first); "
        "they include the 2 every signed-in page makes (the session; the user with the codes "
        "of the roles they hold today and the header's unread count, in one query; the session "
        "is saved when it changes, on a POST and at least once a minute while in use, not on "
        "every request).",
        f"- Concerns CSV, every concern ({big['rows']:,} rows, {big['bytes'] / 1e6:.1f} MB): "
        f"{big['seconds']:.1f} s; the serving worker's resident memory grew by "
        f"{big['rss_growth_mib']:.1f} MiB (peak {big['rss_peak_mib']:.0f} MiB). One month "
        f"({small['rows']:,} rows): {small['seconds']:.2f} s, grew by "
        f"{small['rss_growth_mib']:.1f} MiB.",
    ]
    if result["capacity"]:
        lines += [
            "",
            "Capacity: each client a session of its own, sending its next request as soon as "
            "the last is answered (no think time), 2 sync workers:",
            "",
            "| page | "
            + " | ".join(f"{n} clients: requests/s, p50, p95 ms" for n in CAPACITY_CLIENTS)
            + f" | most clients with p95 < {CAPACITY_P95_MS} ms |",
            "| --- |" + " ---: |" * len(CAPACITY_CLIENTS) + " ---: |",
        ]
        for label, levels in result["capacity"].items():
            within = [n for n, row in levels.items() if row["p95"] < CAPACITY_P95_MS]
            lines.append(
                f"| {label} | "
                + " | ".join(
                    f"{row['rps']:.0f}, {row['p50']:.0f}, {row['p95']:.0f}"
                    for row in levels.values()
                )
                + f" | {max(within) if within else 'fewer than ' + str(CAPACITY_CLIENTS[0])} |"
            )
    lines.append(block_end(args.block))
    lines[0] = block_start(args.block)
    return "\n".join(lines) + "\n"


def database_shown() -> str:
    """The DATABASE_URL measured, without its password."""
    from urllib.parse import urlsplit, urlunsplit

    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.password:
        netloc = url.netloc.replace(f":{url.password}@", "@", 1)
        url = url._replace(netloc=netloc)
    return urlunsplit(url)


def command(args) -> str:
    redis = os.environ.get("REDIS_URL", "")
    return (
        f"DATABASE_URL={database_shown()} "
        + (f"REDIS_URL={redis} " if redis else "")
        + ".venv/bin/python "
        f"bench/run.py --scale {args.scale:g} --requests {args.requests} "
        f"--concurrency {args.concurrency} --repeats {args.repeats}"
        + (f" --block {args.block}" if args.block else "")
        + (" --no-capacity" if not args.capacity else "")
        + (f" --write {args.write}" if args.write else "")
    )


def block_start(name: str = "") -> str:
    return START_MARK if not name else START_MARK.replace("bench:start", f"bench:start {name}")


def block_end(name: str = "") -> str:
    return END_MARK if not name else END_MARK.replace("bench:end", f"bench:end {name}")


def write(path: Path, block: str, name: str = "") -> None:
    """Put ``block`` between the markers named ``name`` in ``path`` (added at the end when
    the file has none): each block (the scale-100 run, the scale-10 run) keeps its place."""
    start, end = block_start(name), block_end(name)
    text = path.read_text() if path.exists() else f"# Performance\n\n{start}\n{end}\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, required=True, help="the scale loaded (a label)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--year-requests", type=int, default=3)
    parser.add_argument("--write", default="", help="the Markdown file to put the results in")
    parser.add_argument(
        "--block",
        default="",
        help="the name of the results block in the file (e.g. scale-10); none: the main block",
    )
    parser.add_argument(
        "--no-capacity",
        dest="capacity",
        action="store_false",
        help="leave out the capacity table (clients 8 to 64 on three pages)",
    )
    args = parser.parse_args(argv)
    result = run(args)
    block = render(result)
    print(block)
    if args.write:
        write(ROOT / args.write, block, args.block)


if __name__ == "__main__":
    main()
