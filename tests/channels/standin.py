"""A local stand-in for Twilio's REST API and Telegram's Bot API: records every call, and can be
told to fail, stall or answer 429, so the real SDK clients are tested with no network.

Run alone (for the fault test's subprocess or by hand): python -m tests.channels.standin PORT
"""

from __future__ import annotations

import email.utils
import itertools
import json
import re
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

TWILIO_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>\w+)/Messages\.json$")
BOT_METHOD = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")


@dataclass
class Call:
    """One request the stand-in received."""

    api: str  # "twilio" | "telegram"
    method: str  # Messages.create / Messages.list / a Bot API method name
    params: dict[str, Any]
    at: float = field(default_factory=time.time)


@dataclass
class Rule:
    """How to answer the next matching calls: a status (429, 500...), or a delay first."""

    api: str
    method: str
    times: int
    status: int = 0
    delay: float = 0.0
    retry_after: int = 1
    code: int = 0  # Twilio's error code in the body (21610: the recipient unsubscribed)


class StandIn:
    """The shared state behind the HTTP server: calls, stored SMS, pending updates, rules."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[Call] = []
        self.sms: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.rules: list[Rule] = []
        self.message_ids = itertools.count(1000)
        self.server: ThreadingHTTPServer | None = None

    # -- control from tests --------------------------------------------------------------------
    def fail(
        self, api: str, method: str, status: int, times: int = 1, retry_after: int = 1,
        code: int = 0,
    ) -> None:  # fmt: skip
        """The next `times` calls answer `status` (429 comes with Retry-After)."""
        rule = Rule(api, method, times, status=status, retry_after=retry_after, code=code)
        self.rules.append(rule)

    def stall(self, api: str, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls are accepted, but answered only after `seconds`."""
        self.rules.append(Rule(api, method, times, delay=seconds))

    def of(self, api: str, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.api == api and c.method == method]

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> StandIn:
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # -- behaviour -----------------------------------------------------------------------------
    def rule_for(self, api: str, method: str) -> Rule | None:
        with self.lock:
            for rule in self.rules:
                if rule.api == api and rule.method == method and rule.times > 0:
                    rule.times -= 1
                    return rule
        return None

    def twilio_create(self, sid: str, form: dict[str, str]) -> dict[str, Any]:
        message = {
            "sid": "SM" + uuid.uuid4().hex,
            "account_sid": sid,
            "to": form.get("To"),
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body", ""),
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "date_created": email.utils.formatdate(usegmt=True),
            "date_updated": email.utils.formatdate(usegmt=True),
            "date_sent": None,
            "status_callback": form.get("StatusCallback"),
            "uri": f"/2010-04-01/Accounts/{sid}/Messages.json",
        }
        with self.lock:
            self.sms.append(message)
        return message

    def twilio_list(self, query: dict[str, str]) -> dict[str, Any]:
        with self.lock:
            sender = query.get("From")
            found = [
                m for m in reversed(self.sms)
                if m["to"] == query.get("To") and (not sender or m["from"] == sender)
            ]  # fmt: skip
        size = int(query.get("PageSize", 50))
        return {"messages": found[:size], "next_page_uri": None, "page": 0, "page_size": size}

    def telegram(self, method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage":
            return {
                "message_id": next(self.message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            with self.lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                return list(self.updates)
        if method == "getWebhookInfo":
            hooks = self.of("telegram", "setWebhook")
            last = hooks[-1].params if hooks else {}
            return {"url": last.get("url", ""), "pending_update_count": len(self.updates),
                    "allowed_updates": last.get("allowed_updates")}  # fmt: skip
        return True


def _handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in separate writes: without this, Nagle + delayed ACK add 40 ms.
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, verb: str) -> None:
            url = urlparse(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if (match := TWILIO_MESSAGES.match(url.path)) is not None:
                self._twilio(verb, match["sid"], url.query, raw)
            elif (match := BOT_METHOD.match(url.path)) is not None:
                self._telegram(match["method"], raw)
            else:
                self._reply(404, {"error": "unknown path"})

        def _twilio(self, verb: str, sid: str, query: str, raw: bytes) -> None:
            method = "Messages.create" if verb == "POST" else "Messages.list"
            source = raw.decode() if verb == "POST" else query
            params = {k: v[-1] for k, v in parse_qs(source, keep_blank_values=True).items()}
            with state.lock:
                state.calls.append(Call("twilio", method, params))
            rule = state.rule_for("twilio", method)
            if rule and rule.status:
                headers = {"Retry-After": str(rule.retry_after)} if rule.status == 429 else {}
                code = rule.code or (20429 if rule.status == 429 else 20500)
                body = {"code": code, "status": rule.status,
                        "message": "stand-in says no", "more_info": ""}  # fmt: skip
                return self._reply(rule.status, body, headers)
            if verb == "POST":
                answer = state.twilio_create(sid, params)
            else:
                answer = state.twilio_list(params)
            if rule and rule.delay:
                time.sleep(rule.delay)  # accepted, but the answer comes late (or never arrives)
            self._reply(201 if verb == "POST" else 200, answer)

        def _telegram(self, method: str, raw: bytes) -> None:
            try:
                params = json.loads(raw or b"{}")
            except ValueError:
                bad = {"ok": False, "error_code": 400, "description": "bad json"}
                return self._reply(400, bad)
            with state.lock:
                state.calls.append(Call("telegram", method, params))
            rule = state.rule_for("telegram", method)
            if rule and rule.status:
                body: dict[str, Any] = {"ok": False, "error_code": rule.status,
                                        "description": "stand-in says no"}  # fmt: skip
                if rule.status == 429:
                    body["parameters"] = {"retry_after": rule.retry_after}
                return self._reply(rule.status, body)
            result = state.telegram(method, params)
            if rule and rule.delay:
                time.sleep(rule.delay)
            self._reply(200, {"ok": True, "result": result})

        def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (or was killed) while we stalled

    return Handler


if __name__ == "__main__":
    standin = StandIn().start(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(standin.url, flush=True)
    threading.Event().wait()
