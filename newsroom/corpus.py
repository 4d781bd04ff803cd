"""The newsroom's corpus: outlets, articles, events and the gold labels derived from them.

The corpus is data under ``newsroom/corpus/``: ``outlets.json`` (the fictional outlets),
``articles/*.json`` (lists of articles), ``events.json`` (what each story id is about and which
pairs of events are easy to confuse) and ``layout.json`` (which articles the sites serve in a
special way: the multi-page article, the page in windows-1252, the slow page).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = [
    "CORPUS_DIR",
    "Article",
    "Corpus",
    "CorpusError",
    "Outlet",
    "gold_records",
    "load_corpus",
]

CORPUS_DIR = Path(__file__).parent / "corpus"
_ARTICLE_KEYS = (
    "id",
    "outlet",
    "section",
    "title",
    "author",
    "published",
    "event",
    "relevant",
    "wire_of",
    "kind",
    "paragraphs",
)
_LAYOUT_KEYS = ("multipage", "windows_1252", "slow")


class CorpusError(Exception):
    """A corpus file that cannot be used, naming the file and the article."""


@dataclass(frozen=True)
class Outlet:
    name: str
    display: str
    host: int
    kind: str
    dateline: str | None


@dataclass(frozen=True)
class Article:
    id: str
    outlet: str
    section: str
    title: str
    author: str
    published: datetime
    event: str
    relevant: bool
    wire_of: str | None
    kind: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The gold clean text: the paragraphs, one per line."""
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Corpus:
    outlets: dict[str, Outlet]
    articles: tuple[Article, ...]
    events: dict[str, str]
    confusable: tuple[tuple[str, str], ...]
    layout: dict[str, str]

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def of_outlet(self, outlet: str) -> list[Article]:
        """The outlet's articles, newest first (the order of its feeds and index pages)."""
        own = [a for a in self.articles if a.outlet == outlet]
        return sorted(own, key=lambda a: (a.published, a.id), reverse=True)


def load_corpus(root: Path | str = CORPUS_DIR) -> Corpus:
    """Read and check the corpus under ``root``; raise :class:`CorpusError` on any problem."""
    root = Path(root)
    raw_outlets = _read(root / "outlets.json")["outlets"]
    outlets = {
        o["name"]: Outlet(o["name"], o["display"], o["host"], o["kind"], o.get("dateline"))
        for o in raw_outlets
    }
    articles: list[Article] = []
    for path in sorted((root / "articles").glob("*.json")):
        for i, raw in enumerate(_read(path)):
            articles.append(_article(raw, path, i, outlets))
    _check_ids(articles)
    events = _read(root / "events.json")
    layout = _read(root / "layout.json")
    known = {a.id for a in articles}
    for key in _LAYOUT_KEYS:
        if layout.get(key) not in known:
            raise CorpusError(f"{root / 'layout.json'}: {key}: no article {layout.get(key)!r}")
    return Corpus(
        outlets=outlets,
        articles=tuple(sorted(articles, key=lambda a: (a.published, a.id))),
        events=dict(events.get("events", {})),
        confusable=tuple(tuple(pair) for pair in events.get("confusable", [])),
        layout={key: layout[key] for key in _LAYOUT_KEYS},
    )


def gold_records(base_urls: Mapping[str, str], corpus: Corpus | None = None) -> list[dict]:
    """One record per article: where the newsroom serves it and what a crawler should make of it.

    ``base_urls`` maps each site (outlet names and the mobile host's name) to its base URL, as
    :attr:`newsroom.server.Newsroom.base_urls` gives it.
    """
    from newsroom.urls import article_links

    corpus = corpus or load_corpus()
    records = []
    for article in corpus.articles:
        links = article_links(article, base_urls, corpus.layout)
        records.append(
            {
                "id": article.id,
                "url": links.url,
                "listed": links.listed,
                "source": article.outlet,
                "title": article.title,
                "text": article.text,
                "published": article.published.isoformat(),
                "relevant": article.relevant,
                "event": article.event,
                "wire_of": article.wire_of,
                "kind": article.kind,
                "section": article.section,
                "variants": list(links.variants),
                "pages": list(links.pages),
                "encoding": "windows-1252"
                if article.id == corpus.layout["windows_1252"]
                else "utf-8",
                "slow": article.id == corpus.layout["slow"],
            }
        )
    return records


def _read(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{path}: cannot read ({exc})") from exc


def _article(raw: object, path: Path, index: int, outlets: dict[str, Outlet]) -> Article:
    where = f"{path.name}[{index}]"
    if not isinstance(raw, dict):
        raise CorpusError(f"{path}: item {index} is not an object")
    missing = [k for k in _ARTICLE_KEYS if k not in raw]
    if missing:
        raise CorpusError(f"{path}: {raw.get('id', where)}: missing {', '.join(missing)}")
    if raw["outlet"] not in outlets:
        raise CorpusError(f"{path}: {raw['id']}: unknown outlet {raw['outlet']!r}")
    paragraphs = tuple(p.strip() for p in raw["paragraphs"] if p.strip())
    if not paragraphs:
        raise CorpusError(f"{path}: {raw['id']}: no paragraphs")
    try:
        published = datetime.fromisoformat(raw["published"])
    except (TypeError, ValueError) as exc:
        raise CorpusError(f"{path}: {raw['id']}: published: {exc}") from exc
    if published.tzinfo is None:
        raise CorpusError(f"{path}: {raw['id']}: published has no UTC offset")
    return Article(
        id=raw["id"],
        outlet=raw["outlet"],
        section=raw["section"],
        title=raw["title"].strip(),
        author=raw["author"],
        published=published,
        event=raw["event"] or raw["id"],
        relevant=bool(raw["relevant"]),
        wire_of=raw["wire_of"],
        kind=raw["kind"],
        paragraphs=paragraphs,
    )


def _check_ids(articles: list[Article]) -> None:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise CorpusError(f"duplicate article id {article.id!r}")
        seen.add(article.id)
    for article in articles:
        if article.wire_of and article.wire_of not in seen:
            raise CorpusError(f"{article.id}: wire_of names no article ({article.wire_of!r})")
