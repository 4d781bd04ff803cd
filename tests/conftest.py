"""Fixtures shared by the whole suite."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsroom.server import Newsroom

NEWSROOM_SLOW_SECONDS = 2.0  # the slow page of the session's newsroom
NEWSROOM_TIMEOUT = 1.0  # the client timeout of newsroom_config: below the slow page


@pytest.fixture(scope="session")
def newsroom():
    """The offline newsroom on 127.0.0.x, one free port, for the whole session.

    ``newsroom.base_url("nusa")``, ``newsroom.gold_records()``, ``newsroom.faults()``,
    ``newsroom.requests`` (every request answered: site, path, status)."""
    with Newsroom(port=0, slow_seconds=NEWSROOM_SLOW_SECONDS) as room:
        yield room


@pytest.fixture
def newsroom_config(newsroom, tmp_path):
    """A warta config crawling the session's newsroom into ``tmp_path / "warta.db"``, with a
    client timeout below the slow page's delay; returns the config file's path."""
    return newsroom.write_config(
        tmp_path / "warta.toml", tmp_path / "warta.db", timeout=NEWSROOM_TIMEOUT
    )


@pytest.fixture
def serve():
    """Start servers on 127.0.0.x: ``serve(host, {path: route})`` answers each path with
    ``route(host header) -> (status, headers, body)``; gives the base URL and a count of
    requests by path."""
    servers = []

    def start(host: str, routes: dict) -> tuple[str, Counter]:
        requests: Counter[str] = Counter()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests[self.path] += 1
                route = routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                status, headers, body = route(self.headers["Host"])
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer((host, 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://{host}:{server.server_port}", requests

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
