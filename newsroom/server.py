"""The newsroom on loopback: every site on its own address 127.0.0.<host>, one port for all.

with Newsroom(port=0) as newsroom:
    newsroom.base_url("nusa")           # 'http://127.0.0.11:41234'
    newsroom.write_config(tmp / "warta.toml", tmp / "warta.db")
    newsroom.gold_records()             # what a crawl should find
"""

from __future__ import annotations

import json
import threading
import time
import tomllib
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from newsroom import urls
from newsroom.corpus import Corpus, Outlet, gold_records, load_corpus
from newsroom.routes import Response, Routes, build_routes
from newsroom.scale import scale_corpus

__all__ = ["Newsroom", "export"]

_TRACKING_PREFIXES = ("utm_", "fbclid=", "gclid=")
_NOT_FOUND = Response(
    404, b'<html lang="id"><body><h1>404</h1>Halaman tidak ditemukan</body></html>'
)
_REPO_CONFIG = Path(__file__).resolve().parents[1] / "warta.toml"


class Newsroom:
    """The offline newsroom. ``port=0`` picks a free port; ``scale=N`` serves N copies of the
    corpus; ``slow_seconds`` is how long the slow page takes to answer."""

    def __init__(
        self, port: int = 0, scale: int = 1, slow_seconds: float = 3.0, corpus: Corpus | None = None
    ):
        if port < 0 or slow_seconds < 0:
            raise ValueError("port and slow_seconds must be 0 or more")
        self.corpus = scale_corpus(corpus or load_corpus(), scale)
        self.slow_seconds = slow_seconds
        self._port = port
        self._servers: list[ThreadingHTTPServer] = []
        self._routes: Routes = {}
        self._log: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()

    # --- lifecycle

    def start(self) -> Newsroom:
        if self._servers:
            return self
        hosts = {
            site: urlsplit(url).hostname
            for site, url in urls.base_urls(self.corpus.outlets, 1).items()
        }
        self._servers = _bind(hosts, self._port, self)
        self._port = self._servers[0].server_address[1]
        self._routes = build_routes(self.corpus, self.base_urls, self.slow_seconds)
        for server in self._servers:
            threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"newsroom-{server.site}",
                daemon=True,
            ).start()
        return self

    def stop(self) -> None:
        stopping = [threading.Thread(target=server.shutdown) for server in self._servers]
        for thread in stopping:
            thread.start()
        for thread, server in zip(stopping, self._servers):
            thread.join()
            server.server_close()
        self._servers = []

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- addresses and gold

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("the port is chosen at start(); start the newsroom first")
        return self._port

    @property
    def outlets(self) -> dict[str, Outlet]:
        return self.corpus.outlets

    @property
    def base_urls(self) -> dict[str, str]:
        """Each site's base URL, by outlet name (and 'm.kabar6' for kabar6's mobile host)."""
        return urls.base_urls(self.corpus.outlets, self.port)

    def base_url(self, outlet: str) -> str:
        return self.base_urls[outlet]

    def gold_records(self) -> list[dict]:
        return gold_records(self.base_urls, self.corpus)

    def faults(self) -> list[dict]:
        return urls.faults(self.corpus, self.base_urls)

    def entry_points(self) -> dict[str, dict]:
        return urls.entry_points(self.corpus, self.base_urls)

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """Every request answered so far: (site, path with query, status)."""
        with self._lock:
            return list(self._log)

    def respond(self, site: str, raw_path: str) -> Response:
        """The answer to a GET of ``raw_path`` on ``site``; tracking parameters are ignored."""
        path, _, query = raw_path.partition("?")
        kept = [p for p in query.split("&") if p and not p.startswith(_TRACKING_PREFIXES)]
        key = path + ("?" + "&".join(kept) if kept else "")
        render = self._routes.get(site, {}).get(key)
        response = render() if render else _NOT_FOUND
        with self._lock:
            self._log.append((site, raw_path, response.status))
        return response

    # --- configuration

    def write_config(
        self,
        path: Path | str,
        database: Path | str,
        *,
        timeout: float = 5.0,
        watch: dict | None = None,
    ) -> Path:
        """Write a warta config that crawls the newsroom fast (no delay, many requests per site).

        ``watch`` is a ``[watch]`` table (terms, exclude, threshold); by default the one of the
        repository's warta.toml. Logs and digests go beside the database."""
        path, database = Path(path), Path(database)
        watch = watch or tomllib.loads(_REPO_CONFIG.read_text(encoding="utf-8"))["watch"]
        out = [
            f"database = {_toml(str(database))}",
            "",
            "[crawl]",
            "concurrency = 32",
            "per_domain_concurrency = 16",
            "delay = 0",
            "autothrottle = false",
            f"timeout = {float(timeout)}",
            "retries = 1",
            "max_pages = 100000",
            "recheck_hours = 0",
            "obey_robots = true",
            "",
            "[watch]",
        ]
        out += [f"{key} = {_toml(value)}" for key, value in watch.items()]
        for name, point in self.entry_points().items():
            out += ["", "[[sources]]", f"name = {_toml(name)}"]
            out += [f"{key} = {_toml(value)}" for key, value in point.items() if value]
        out += [
            "",
            "[schedule]",
            f"log_file = {_toml(str(database.parent / 'logs' / 'warta.log'))}",
            "",
            "[digest]",
            f"out_dir = {_toml(str(database.parent / 'digests'))}",
            "",
        ]
        path.write_text("\n".join(out), encoding="utf-8")
        return path


def export(directory: Path | str, base_urls: dict[str, str], corpus: Corpus) -> list[Path]:
    """Write into ``directory``: ``docs.jsonl`` (id, url, source, title, text, published: the
    input of ``warta cluster --input``), ``gold.jsonl`` (every gold field of every article) and
    ``faults.json`` (each fault's URL and what a crawler should record)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    records = gold_records(base_urls, corpus)
    docs, gold, faults = (directory / n for n in ("docs.jsonl", "gold.jsonl", "faults.json"))
    fields = ("id", "url", "source", "title", "text", "published")
    with docs.open("w", encoding="utf-8") as d, gold.open("w", encoding="utf-8") as g:
        for record in records:
            d.write(json.dumps({k: record[k] for k in fields}, ensure_ascii=False) + "\n")
            g.write(json.dumps(record, ensure_ascii=False) + "\n")
    faults.write_text(json.dumps(urls.faults(corpus, base_urls), indent=1), encoding="utf-8")
    return [docs, gold, faults]


def _toml(value) -> str:
    """A TOML value; JSON strings, numbers, booleans and arrays of them are valid TOML,
    and a date is written as TOML writes one."""
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address, site: str, newsroom: Newsroom):
        self.site, self.newsroom = site, newsroom
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up mid-request (a killed crawl) is not the server's error."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "NewsroomHTTP/1.0"
    # the headers and the body are two writes: with Nagle's algorithm the body waits for
    # the client's delayed acknowledgement of the headers, 40 ms on every keep-alive request
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        response = self.server.newsroom.respond(self.server.site, self.path)
        if response.delay:
            time.sleep(response.delay)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            if response.location:
                self.send_header("Location", response.location)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout): nothing to answer

    def log_message(self, format, *args) -> None:
        pass


def _bind(
    hosts: dict[str, str], port: int, newsroom: Newsroom, attempts: int = 20
) -> list[_Server]:
    """One server per site, all on one port; with port 0, retry until a port is free everywhere."""
    for _ in range(attempts):
        servers: list[_Server] = []
        try:
            for site, host in hosts.items():
                chosen = servers[0].server_address[1] if servers else port
                servers.append(_Server((host, chosen), site, newsroom))
            return servers
        except OSError as exc:
            for server in servers:
                server.server_close()
            if port:
                raise OSError(
                    f"cannot serve the newsroom on port {port} of 127.0.0.x: {exc}"
                ) from exc
    raise OSError(f"no port free on every newsroom address after {attempts} attempts")
