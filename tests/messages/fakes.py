"""A local fake HTTP server (http.server in a thread) standing in for 企业微信, 钉钉, an SMS gateway, a webhook
receiver: it records every request and answers from a small script. No real service is ever called."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


@dataclass
class FakeServer:
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    # path -> (status, JSON answer) or a function of the request returning that
    answers: dict[str, tuple[int, dict] | Callable[[Seen], tuple[int, dict]]] = field(default_factory=dict)

    def calls(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


def _handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(self.command, parts.path, parse_qs(parts.query), dict(self.headers), self.rfile.read(length))
            server.seen.append(seen)
            answer = server.answers.get(parts.path, (200, {"errcode": 0, "errmsg": "ok"}))
            status, payload = answer(seen) if callable(answer) else answer
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _answer
        do_POST = _answer

        def log_message(self, *args) -> None:  # quiet test output
            pass

    return Handler


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    state = FakeServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def wecom(fake_server, settings) -> FakeServer:
    """企业微信 configured against the fake server (token, then application messages)."""
    settings.WECOM_API_BASE = fake_server.url
    settings.WECOM_CORP_ID, settings.WECOM_CORP_SECRET, settings.WECOM_AGENT_ID = "corp", "secret", "1000002"
    fake_server.answers["/cgi-bin/gettoken"] = (200, {"errcode": 0, "access_token": "TOKEN", "expires_in": 7200})
    return fake_server


@dataclass
class FakeSmtp:
    """A local SMTP server that speaks just enough of the protocol for Django's SMTP backend and keeps each
    message's envelope and text."""

    host: str = "127.0.0.1"
    port: int = 0
    mails: list[dict] = field(default_factory=list)


def _smtp_handler(smtp: FakeSmtp) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            envelope: dict = {"to": []}
            self.reply("220 fake-smtp")
            while line := self.rfile.readline().decode("utf-8", "replace").strip():
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 fake-smtp")
                elif verb == "MAIL":
                    envelope["from"] = line.split(":", 1)[1].strip(" <>")
                    self.reply("250 OK")
                elif verb == "RCPT":
                    envelope["to"].append(line.split(":", 1)[1].strip(" <>"))
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    data = []
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        data.append(chunk)
                    smtp.mails.append({**envelope, "data": b"".join(data)})
                    envelope = {"to": []}
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    return Handler


@pytest.fixture
def fake_smtp() -> Iterator[FakeSmtp]:
    smtp = FakeSmtp()
    server = socketserver.ThreadingTCPServer((smtp.host, 0), _smtp_handler(smtp))
    server.daemon_threads = True
    smtp.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield smtp
    server.shutdown()
    server.server_close()
