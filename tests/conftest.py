"""Fixtures shared by the whole suite."""

from __future__ import annotations

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
