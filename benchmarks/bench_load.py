"""Load: 50 clerks editing and 5 reviewers reading, for 2 minutes, on two app servers that share
one PostgreSQL database; all traffic on 127.0.0.1.

    python -m benchmarks.bench_load              # the full run (2 minutes)
    python -m benchmarks.bench_load --seconds 10 # a short trial

What is measured: two real `streamlit run app.py` servers with sign-in on (GKASSIST_AUTH=local;
an account per user, made for the run); each simulated user signs in through the form and is a browser tab
speaking Streamlit's own websocket protocol (benchmarks/streamlit_client.py), driven by locust
(benchmarks/load_users.py); no browser rendering. A clerk makes an edit every 2-6 s: three in four
a cell of 表三 in the 数据填报 grid (the grid's own event, rerunning its fragment with the table's
checks), one in four a field of 基本信息 (typed, Enter); moving between the two pages is a page run
not counted as a save. The save latency runs from sending the edit to the end of the run that saved
it (the app's autosave and what it redraws), as the clerk waits for it. The two clerks of a report
are on different servers and edit it at the same time (their own cells and fields). A reviewer
keeps a signed-in tab per report and moves between 校验与导出 (every check run) and 对照上年 every
3-8 s; after one reading of 校验与导出 in two they comment on the whole report through its form.
Errors: any sign-in, save, comment or page run that failed, timed out or showed a save failure. Lost edits: after
the run, every value whose save the page acknowledged (a newer version number shown) is looked up
in the database, in that version and, for each clerk's cells and fields, in the latest version;
every comment the page showed after sending it is looked up on its report.

PostgreSQL: GKASSIST_TEST_PG_URL (export GKASSIST_TEST_PG_URL=$(./scripts/start-postgres.sh)).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from gkassist.access import Actor
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.storage.accounts import AccountStore
from gkassist.storage.comments import CommentStore
from gkassist.ui import forms

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "out" / "bench_load.jsonl"  # every save, open and read of the last run, for a closer look
SECONDS = 120
CLERKS, REVIEWERS, SERVERS = 50, 5, 2
TARGET_P95_MS = 300.0
SCHEMA = "gkassist_load"  # the benchmark's own tables in the test database
Result = tuple[str, float, str, str]
ADMIN = Actor.single_user("负载测试")  # sets up the reports, checks them, removes them
_META = {"地址": "address", "联系部门": "office", "电话": "phone", "邮编": "postcode"}  # contact fields edited


@dataclass
class LoadResult:
    seconds: int
    saves: list[float]  # ms of each acknowledged or failed save
    cell_saves: list[float]  # those of a 表三 cell (the grid's fragment rerun)
    steady_saves: list[float]  # those started once every clerk had opened the report (no tab opening meanwhile)
    opens: list[float]
    reads: list[float]
    errors: list[str]
    acknowledged: int
    lost: list[str]
    comments: list[float]  # ms of each comment sent through the form
    comments_made: int
    comments_lost: list[str]
    machine_load: tuple[float, float]  # the 1-minute load average before and after: other work on the machine


def percentile(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


@contextmanager
def _own_schema(db_url: str) -> Iterator[str]:
    """The database URL with a schema of its own (created now, dropped after): the test database
    is shared with the test suite, which empties its tables."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        yield make_url(db_url).update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


@contextmanager
def _servers(db_url: str, count: int) -> Iterator[list[str]]:
    """The app servers, as tests/e2e/server.py starts them but with their output in a file
    (out/bench_load_server<n>.log): a pipe nobody reads fills up and stops a long-running server."""
    from tests.e2e.server import ROOT as APP_ROOT
    from tests.e2e.server import free_port, stop_app, wait_healthy

    procs: list[subprocess.Popen[bytes]] = []
    try:
        ports = [free_port() for _ in range(count)]
        for n, port in enumerate(ports):
            env = {k: v for k, v in os.environ.items() if not k.startswith("GKASSIST_LLM_")}
            env.update({"GKASSIST_DATABASE_URL": db_url, "GKASSIST_AUTH": "local"})  # as shared: everyone signs in
            with (ROOT / "out" / f"bench_load_server{n}.log").open("wb") as output:
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                     "--server.address", "127.0.0.1"],
                    cwd=APP_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                ))  # fmt: skip
            wait_healthy(procs[-1], port)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for proc in procs:
            stop_app(proc)


def _reports(store: ReportStore, count: int) -> list[int]:
    example = load_example("example-2021")
    return [store.create(forms.report_from_example(example, _agency(i), 2024), actor=ADMIN)[0] for i in range(count)]


def _agency(i: int) -> str:
    return f"负载测试局{i:02d}"


def _accounts(store: ReportStore, reports: int) -> str:
    """The agencies, a clerk account per clerk (clerk n: the agency of report n // 2) and a reviewer
    account per reviewer (reviewer n: the agencies of every fifth report from n); their password."""
    accounts = AccountStore(store.engine)
    password = secrets.token_urlsafe(16)
    for i in range(reports):
        accounts.add_agency(_agency(i), actor=ADMIN)
    for n in range(CLERKS):
        accounts.add_user(f"clerk{n:02d}", password, "clerk", [_agency(n // 2)], actor=ADMIN, display_name=f"科员{n:02d}")
    for n in range(REVIEWERS):
        agencies = [_agency(i) for i in range(n, reports, REVIEWERS)]
        accounts.add_user(f"reviewer{n}", password, "reviewer", agencies, actor=ADMIN, display_name=f"审核人{n}")
    return password


def _value(report: Report, place: str) -> str | None:
    """What the report holds at a place a clerk edits: a 表三 cell (s3.row.column) or a contact field."""
    if place.startswith("s3."):
        _table, row, column = place.split(".")
        return report.table("s3").get(row, column).raw
    value: str | None = getattr(report.meta.contact, _META[place])
    return value


def _lost_edits(store: ReportStore, records: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Every acknowledged save looked up in the database: in the version the page showed, and
    each clerk's last acknowledged value of each place in the latest version."""
    acks = [r for r in records if r["kind"] == "ack"]
    lost: list[str] = []
    last: dict[tuple[int, str], dict[str, Any]] = {}
    attempted: dict[tuple[int, str], str] = {}
    for r in records:
        if r["kind"] == "attempt":
            attempted[(r["report"], r["field"])] = r["value"]
    for ack in acks:
        saved, _ = store.load(ack["report"], ack["version"], actor=ADMIN)
        if _value(saved, ack["field"]) != ack["value"]:
            lost.append(f"report {ack['report']} v{ack['version']} {ack['field']}: {ack['value']} not in that version")
        last[(ack["report"], ack["field"])] = ack
    latest = {rid: store.load(rid, actor=ADMIN)[0] for rid, _place in last}
    for (rid, place), ack in last.items():
        now = _value(latest[rid], place)
        if now not in (ack["value"], attempted.get((rid, place))):  # a later failed attempt may be kept unsaved
            lost.append(f"report {rid} {place}: {ack['value']} acknowledged, the latest version holds {now}")
    return len(acks), lost


def _lost_comments(store: ReportStore, records: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Every comment the page showed after sending it, looked up on its report afterwards."""
    made = [r for r in records if r["kind"] == "comment_ack"]
    comments = CommentStore(store.engine)
    stored = {rid: {c.body for c in comments.comments(rid, actor=ADMIN)} for rid in {r["report"] for r in made}}
    lost = [f"report {r['report']}: {r['body']}" for r in made if r["body"] not in stored[r["report"]]]
    return len(made), lost


def measure(db_url: str, seconds: int = SECONDS) -> LoadResult:
    (ROOT / "out").mkdir(exist_ok=True)
    with _own_schema(db_url) as own_url:
        return _measure(own_url, seconds)


def _measure(db_url: str, seconds: int) -> LoadResult:
    load_before = os.getloadavg()[0]
    store = ReportStore(db_url)
    report_ids = _reports(store, CLERKS // 2)
    password = _accounts(store, len(report_ids))
    try:
        with _servers(db_url, SERVERS) as servers:
            LOG.parent.mkdir(parents=True, exist_ok=True)
            LOG.unlink(missing_ok=True)
            log = LOG
            env = {
                **os.environ,
                "GKASSIST_LOAD_SERVERS": ",".join(servers),
                "GKASSIST_LOAD_REPORTS": ",".join(map(str, report_ids)),
                "GKASSIST_LOAD_PASSWORD": password,
                "GKASSIST_LOAD_LOG": str(log),
            }
            users = CLERKS + REVIEWERS
            spawn_rate = max(5, users // max(1, seconds // 6))  # everyone on within the first sixth
            command = [
                sys.executable, "-m", "locust", "-f", "benchmarks/load_users.py", "--headless",
                "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s",
                "--stop-timeout", "30", "--only-summary", "--loglevel", "WARNING",
            ]  # fmt: skip
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 300)
            records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
            (ROOT / "out" / "bench_load_locust.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
            if not records:
                raise RuntimeError(f"locust ran no user: {done.stderr[-2000:]}")
        acknowledged, lost = _lost_edits(store, records)
        comments_made, comments_lost = _lost_comments(store, records)
    finally:
        store.engine.dispose()
    timed = [r for r in records if r["kind"] in {"save", "open", "switch", "read", "comment"}]
    opened = [r["at"] for r in timed if r["kind"] == "open"]
    everyone_in = sorted(opened)[CLERKS - 1] if len(opened) >= CLERKS else math.inf
    return LoadResult(
        seconds=seconds,
        saves=[r["ms"] for r in timed if r["kind"] == "save"],
        cell_saves=[r["ms"] for r in timed if r["kind"] == "save" and "数据填报" in r["name"]],
        steady_saves=[r["ms"] for r in timed if r["kind"] == "save" and r["at"] - r["ms"] / 1000 > everyone_in],
        opens=[r["ms"] for r in timed if r["kind"] == "open"],
        reads=[r["ms"] for r in timed if r["kind"] == "read"],
        errors=[f"{r['user']} {r['kind']}: {r['error']}" for r in timed if r["error"]],
        acknowledged=acknowledged,
        lost=lost,
        comments=[r["ms"] for r in timed if r["kind"] == "comment"],
        comments_made=comments_made,
        comments_lost=comments_lost,
        machine_load=(load_before, os.getloadavg()[0]),
    )


def rows(result: LoadResult) -> list[Result]:
    who = f"{CLERKS}名填报人编辑、{REVIEWERS}名审核人阅读，{SERVERS}台应用服务器共用PostgreSQL，{result.seconds} s"
    return [
        (f"并发负载：保存耗时 p50（{who}）", percentile(result.saves, 0.5), "ms", "参考"),
        (f"并发负载：保存耗时 p95（共{len(result.saves)}次保存，数据填报与基本信息）", percentile(result.saves, 0.95), "ms", f"≤ {TARGET_P95_MS:.0f} ms"),
        (f"  其中数据填报一格（{len(result.cell_saves)}次）的 p95", percentile(result.cell_saves, 0.95), "ms", "参考"),
        (f"  其中全部填报人打开报告之后的保存 p95（{len(result.steady_saves)}次）", percentile(result.steady_saves, 0.95), "ms", "参考"),
        ("并发负载：登录并打开报告 p95（新标签页，显示数据填报）", percentile(result.opens, 0.95), "ms", "参考"),
        (f"并发负载：审核人阅读 p95（校验与导出、对照上年，共{len(result.reads)}次）", percentile(result.reads, 0.95), "ms", "参考"),
        ("并发负载：出错次数（保存、打开、切换页面、阅读、审核意见）", float(len(result.errors)), "次", "0"),
        (f"并发负载：丢失的已确认保存（共核对{result.acknowledged}次）", float(len(result.lost)), "次", "0"),
        (f"并发负载：发表审核意见 p95（页面表单，共{len(result.comments)}条）", percentile(result.comments, 0.95), "ms", "参考"),
        (f"并发负载：丢失的审核意见（共核对{result.comments_made}条）", float(len(result.comments_lost)), "条", "0"),
        (f"  测量时本机负载（{os.cpu_count()}核，1分钟平均，开始时 {result.machine_load[0]:.1f}）", result.machine_load[1], "", "参考"),
    ]


def run(seconds: int = SECONDS) -> list[Result]:
    db_url = os.environ.get("GKASSIST_TEST_PG_URL", "").strip()
    if not db_url:
        return [("并发负载（需要 PostgreSQL：GKASSIST_TEST_PG_URL，未测）", math.nan, "ms", f"p95 ≤ {TARGET_P95_MS:.0f} ms")]
    return rows(measure(db_url, seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=SECONDS, help="how long the load runs (default 120)")
    args = parser.parse_args()
    started = time.monotonic()
    db_url = os.environ.get("GKASSIST_TEST_PG_URL", "").strip()
    if not db_url:
        sys.exit("需要 PostgreSQL：export GKASSIST_TEST_PG_URL=$(./scripts/start-postgres.sh)")
    result = measure(db_url, args.seconds)
    for label, value, unit, target in rows(result):
        print(f"{label}  {value:,.1f} {unit}  （目标 {target}）")
    if result.saves:
        print(f"保存耗时：中位数 {statistics.median(result.saves):.1f} ms，最慢 {max(result.saves):.1f} ms")
    for line in [*result.errors[:10], *result.lost[:10], *result.comments_lost[:10]]:
        print("  ", line)
    print(f"（共用时 {time.monotonic() - started:.0f} s）")


if __name__ == "__main__":
    main()
