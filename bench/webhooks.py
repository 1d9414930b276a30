"""Webhook throughput and latency: the SMS and Telegram webhooks under concurrent senders, next to
a bare Flask endpoint (parse the form, return constant TwiML) under the same gunicorn settings.

Run:  .venv/bin/python bench/webhooks.py                 (SQLite and PostgreSQL)
      .venv/bin/python bench/webhooks.py --databases sqlite --requests 2000 --concurrency 32
Target: SMS >= 50% of the bare endpoint's requests/s, and SMS p99 <= 50 ms at 32 senders.
Each run stops by itself: after --requests requests or --seconds seconds per endpoint and round.

The load comes from `wrk` (Debian package wrk) when it is installed, else from Python threads
(--client python). On a small machine the Python client spends about as much CPU per request as
the bare endpoint itself, so it holds the yardstick down: wrk gives the honest ratio. Both send
the same requests: every one signed and with its own MessageSid (precomputed for wrk), each
sender's conversation in order, one request at a time per connection, to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask, Response, request  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

PUBLIC = "https://bench.example.org"
TOKEN = "bench-twilio-token"
SECRET = "bench-telegram-secret"
TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hello</Message></Response>'
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
Request = tuple[str, bytes, dict[str, str]]


def bare_app() -> Flask:
    """The yardstick: a Flask app that parses the form and answers constant TwiML."""
    app = Flask("bare")

    @app.post("/webhooks/twilio/sms")
    def sms() -> Response:
        _ = request.form.get("Body")
        return Response(TWIML, mimetype="text/xml")

    return app


@dataclass
class Result:
    """What one endpoint did under load."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    summary: dict[float, float] | None = None  # wrk: {quantile: ms}, and its request count
    count: int = 0
    rounds: list[float] = field(default_factory=list)  # req/s of every round, if several

    @property
    def n(self) -> int:
        return self.count if self.summary is not None else len(self.latencies)

    @property
    def rps(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if self.summary is not None:
            return self.summary.get(q, 0.0)
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    def line(self) -> str:
        rounds = f"   rounds {'/'.join(f'{r:.0f}' for r in self.rounds)}" if self.rounds else ""
        return (f"{self.name:<22} {self.rps:8.0f} req/s   p50 {self.pct(0.5):6.1f} ms   "
                f"p99 {self.pct(0.99):6.1f} ms   n={self.n} errors={self.errors}{rounds}")


def sms_requests(sender: int) -> Iterator[Request]:
    """One person's SMS conversation, signed as Twilio signs it, forever."""
    validator = RequestValidator(TOKEN)
    number = f"+6689{sender:07d}"
    words = itertools.cycle(["hello", "1", "1", "2", "1", "0", "3", "2",
                             "my boss took my passport", "0", "7", "0", "MORE", "0"])  # fmt: skip
    for n in itertools.count():
        form = {"MessageSid": f"SM{sender:08d}{n:024d}", "AccountSid": "AC" + "0" * 32,
                "From": number, "To": "+15550001111", "Body": next(words),
                "NumMedia": "0"}  # fmt: skip
        signature = validator.compute_signature(f"{PUBLIC}/webhooks/twilio/sms", form)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": signature}  # fmt: skip
        yield "/webhooks/twilio/sms", urlencode(form).encode(), headers


def telegram_requests(sender: int) -> Iterator[Request]:
    """One person's Telegram conversation: text and button presses, forever."""
    chat = 500000 + sender
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    words = itertools.cycle(["hello", "1", "1", "2", "1", "0", "3", "2", "0", "7", "0"])
    for n in itertools.count():
        update_id = sender * 10_000_000 + n
        user = {"id": chat, "is_bot": False, "first_name": "B"}
        text = next(words)
        if text.isdigit():
            message = {"message_id": 1, "date": 0, "chat": {"id": chat, "type": "private"}}
            update = {"update_id": update_id, "callback_query": {
                "id": f"q{update_id}", "from": user, "chat_instance": "c", "data": text,
                "message": message}}  # fmt: skip
        else:
            update = {"update_id": update_id, "message": {
                "message_id": n, "date": int(time.time()), "text": text, "from": user,
                "chat": {"id": chat, "type": "private"}}}  # fmt: skip
        yield "/webhooks/telegram", json.dumps(update).encode(), headers


def drive(
    port: int, requests: Callable[[int], Iterator[Request]], concurrency: int, total: int,
    seconds: float, name: str, offset: int = 0,
) -> Result:  # fmt: skip
    """`concurrency` senders, each on its own keep-alive connection, until total or time is up."""
    result = Result(name)
    left = itertools.count()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def sender(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path, body, headers in requests(offset + n):
            if next(left) >= total or time.monotonic() > deadline:
                break
            start = time.perf_counter()
            try:
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            took = time.perf_counter() - start
            with lock:
                if ok:
                    result.latencies.append(took)
                else:
                    result.errors += 1
        conn.close()

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - began
    return result


WRK_SCRIPT = r"""
-- Sends the precomputed requests of one file in order, one per request() call, and ends the run
-- after `limit` responses (SIGINT to itself: wrk then reports at once instead of sleeping out -d).
-- Line: path TAB name TAB value ... TAB body.
local ffi = require("ffi")
ffi.cdef[[ int kill(int pid, int sig); int getpid(void); ]]
local requests, sent, answered, limit = {}, 0, 0, 0

local function split(line)
  local parts, start = {}, 1
  while true do
    local tab = string.find(line, "\t", start, true)
    if not tab then parts[#parts + 1] = string.sub(line, start); return parts end
    parts[#parts + 1] = string.sub(line, start, tab - 1)
    start = tab + 1
  end
end

function init(args)
  limit = tonumber(args[2])
  for line in io.lines(args[1]) do
    local f = split(line)
    local headers = {}
    for h = 2, #f - 1, 2 do headers[f[h]] = f[h + 1] end
    requests[#requests + 1] = wrk.format("POST", f[1], headers, f[#f])
  end
end

function request()
  sent = sent + 1
  return requests[math.min(sent, #requests)]
end

function response(status, headers, body)
  answered = answered + 1
  if answered == limit then
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), 2)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50.0), latency:percentile(99.0)))
end
"""


def drive_wrk(
    port: int, requests: Callable[[int], Iterator[Request]], concurrency: int, total: int,
    seconds: float, name: str, tmp: Path, offset: int = 0,
) -> Result:  # fmt: skip
    """The same senders as `drive`, from wrk: one thread, one connection per sender.

    Requests are laid out sender after sender, step by step, so with one request in flight per
    connection each sender's messages go in order. A few more than `total` are written (one per
    connection) for the requests in flight when the thread stops after `total` answers.
    """
    senders = [requests(offset + n) for n in range(concurrency)]
    lines = []
    for i in range(total + concurrency):
        path, body, headers = next(senders[i % concurrency])
        fields = [path, *itertools.chain.from_iterable(headers.items()), body.decode()]
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError("a request field holds a tab or newline")
        lines.append("\t".join(fields))
    data, script = tmp / "wrk-requests.txt", tmp / "wrk.lua"
    data.write_text("\n".join(lines) + "\n")
    script.write_text(WRK_SCRIPT)
    command = ["wrk", "-t", "1", "-c", str(concurrency), "-d", f"{max(1, int(seconds))}s",
               "--timeout", "30s", "-s", str(script), f"http://127.0.0.1:{port}",
               "--", str(data), str(total)]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return Result(
        name, errors=figures["errors"], seconds=figures["duration_us"] / 1e6,
        summary={0.5: figures["p50_us"] / 1000, 0.99: figures["p99_us"] / 1000},
        count=figures["requests"],
    )  # fmt: skip


def serve(spec: str, env: dict[str, str], port: int, args: argparse.Namespace,
          log: Path) -> subprocess.Popen[bytes]:  # fmt: skip
    """gunicorn with the production settings file, on a local port."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
               "--threads", str(args.threads), spec]  # fmt: skip
    with log.open("ab") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {log}") from None
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def app_env(db_url: str, standin_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELPLINE_", "TWILIO_"))}
    env.update(
        HELPLINE_DATABASE_URL=db_url, HELPLINE_PUBLIC_URL=PUBLIC,
        HELPLINE_SECRET_KEY="bench", HELPLINE_PSEUDONYM_KEY="bench",
        HELPLINE_VAULT_KEY=Fernet.generate_key().decode(),
        TWILIO_AUTH_TOKEN=TOKEN, TELEGRAM_BOT_TOKEN="1:bench", TELEGRAM_WEBHOOK_SECRET=SECRET,
        HELPLINE_TELEGRAM_API_BASE=standin_url, HELPLINE_LOG_LEVEL="WARNING",
    )  # fmt: skip
    return env


def database(kind: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    """A fresh, migrated database and how to remove it."""
    from sqlalchemy import create_engine, text

    from bot.storage.db import make_engine, migrate

    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        cleanup: Callable[[], None] = lambda: None  # noqa: E731 - the temp dir goes anyway
    else:
        name = f"bench_{os.getpid()}"
        admin = create_engine(PG_ADMIN.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT")  # fmt: skip
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(text(f"CREATE DATABASE {name}"))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name

        def cleanup() -> None:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()

    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url, cleanup


def run(kind: str, args: argparse.Namespace, tmp: Path, standin_url: str) -> list[Result]:
    url, cleanup = database(kind, tmp)
    env = app_env(url, standin_url)
    results: list[Result] = []
    try:
        for name, spec, requests, port in (
            ("bare flask", "bench.webhooks:bare_app()", sms_requests, args.port),
            ("sms webhook", "bot:create_app()", sms_requests, args.port + 1),
            ("telegram webhook", "bot:create_app()", telegram_requests, args.port + 2),
        ):
            server = serve(spec, env, port, args, tmp / f"{kind}-gunicorn.log")
            try:
                # Warm up: imports, content, matcher, pools; other people than the measured ones.
                # Each round opens new connections, so that every gunicorn process gets some
                # (a process that got none would build its engine in the measured run).
                for warm in range(4):
                    drive(port, requests, args.concurrency, args.concurrency * 4, 30, "warm-up",
                          9000 + 100 * warm)  # fmt: skip
                # Measured rounds, each on new connections and with new people. Keep-alive
                # connections stay with the process that accepted them, and now and then one
                # process gets most of them: the median round is reported, with all of them.
                label, rounds = f"{kind}: {name}", []
                for n in range(args.rounds):
                    if args.client == "wrk":
                        rounds.append(drive_wrk(port, requests, args.concurrency, args.requests,
                                                args.seconds, label, tmp, 10_000 * n))  # fmt: skip
                    else:
                        rounds.append(drive(port, requests, args.concurrency, args.requests,
                                            args.seconds, label, 10_000 * n))  # fmt: skip
                median = sorted(rounds, key=lambda r: r.rps)[len(rounds) // 2]
                median.rounds = [r.rps for r in rounds]
                results.append(median)
            finally:
                stop(server)
    finally:
        cleanup()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000, help="per endpoint")
    parser.add_argument("--seconds", type=float, default=30.0, help="per endpoint, at most")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per process")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (median shown)")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (gunicorn logs)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="wrk when installed (auto), or Python threads")  # fmt: skip
    args = parser.parse_args()
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
    elif args.client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --client python")

    from tests.channels.standin import StandIn

    standin = StandIn().start()  # the Bot API the Telegram webhook sends its replies to
    tmp = Path(tempfile.mkdtemp(prefix="helpline-bench-"))
    print(f"{args.concurrency} senders ({args.client} client), gunicorn {args.workers} processes"
          f" x {args.threads} threads, {os.cpu_count()} cores")  # fmt: skip
    try:
        for kind in args.databases.split(","):
            bare, sms, telegram = run(kind, args, tmp, standin.url)
            for result in (bare, sms, telegram):
                print(result.line())
            ratio = sms.rps / bare.rps if bare.rps else 0.0
            verdict = "met" if ratio >= 0.5 and sms.pct(0.99) <= 50 else "MISSED"
            print(f"{kind}: sms/bare throughput {ratio:.0%}, sms p99 {sms.pct(0.99):.1f} ms "
                  f"-> target {verdict}\n", flush=True)  # fmt: skip
    finally:
        standin.stop()
        if args.keep:
            print("logs in", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
