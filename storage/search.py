"""Full-text search over article titles and texts (the ``articles_fts`` FTS5 index).

What people type is turned into a safe FTS5 query: words must all occur, a
"quoted phrase" (or “curly-quoted”) must occur as written, ``word*`` and
``"phrase"*`` match a prefix, the operators AND and OR (in capitals) work between
terms as in FTS5, and ``NOT word`` or ``-word`` leaves out every article holding that
word, wherever it was typed; an operator with no term on either
side is refused rather than dropped (a leading NOT would otherwise find the very
articles it was meant to leave out). A number written without separators also finds it written with them ("1126"
finds "1.126" and "1,126"). Punctuation never causes a syntax error. A title match
weighs more than a body match.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from storage.periods import utc_bounds

__all__ = ["fts_query", "search_articles"]

_TOKEN = re.compile(r'["“”]([^"“”]*)["“”]?(\*?)|(\S+)')
# A number written without thousands separators (a year such as 2025 is left alone)
_UNGROUPED = re.compile(r"(?!(?:19|20)\d\d$)\d{4,}")
_OPERATORS = {"OR", "NOT", "AND"}
_TITLE_WEIGHT, _TEXT_WEIGHT = 5.0, 1.0


def fts_query(text: str) -> str:
    """The FTS5 query for ``text`` as typed; raises ValueError if nothing is left to find."""
    parts: list[str] = []
    for phrase, star, word in _TOKEN.findall(text):
        if word in _OPERATORS:
            if not parts or parts[-1] in _OPERATORS:
                raise ValueError(_dangling(word, parts))
            parts.append(word)
            continue
        if word.startswith("-") and re.match(r"-\w", word):  # -word: as NOT word
            if not parts or parts[-1] in _OPERATORS:
                raise ValueError(_dangling("NOT", parts))
            parts.append("NOT")
            word = word[1:]
        term = phrase if phrase else word
        prefix = bool(star) if phrase else term.endswith("*")
        term = term if phrase else term.rstrip("*")
        if not re.search(r"\w", term):
            continue
        quoted = '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")
        if not prefix and _UNGROUPED.fullmatch(term):
            quoted = f'({quoted} OR "{_grouped(term)}")'
        parts.append(quoted)
    if parts and parts[-1] in _OPERATORS:
        raise ValueError(f"{parts[-1]} at the end of {text!r} has no word after it")
    if not parts:
        raise ValueError(f"nothing to search for in {text!r}")
    return _excluding_last(parts)


def _excluding_last(parts: list[str]) -> str:
    """The query with each NOT term taken out and excluded from all the others, wherever
    it was typed: FTS5 reads "a NOT b c" as a NOT (b c), and "a OR b NOT c" as
    a OR (b NOT c)."""
    wanted, excluded = [], []
    terms = iter(parts)
    for part in terms:
        if part == "NOT":
            excluded.append(next(terms))
        else:
            wanted.append(part)
    if not excluded:
        return " ".join(wanted)
    return f"({' '.join(wanted)})" + "".join(f" NOT {term}" for term in excluded)


def _grouped(digits: str) -> str:
    """``digits`` in groups of three from the right, as the index holds "1.126" or
    "1,126": the tokens "1 126"."""
    head = len(digits) % 3 or 3
    return " ".join([digits[:head], *(digits[i:i + 3] for i in range(head, len(digits), 3))])


def _check_source(db: Database, name: str) -> None:
    known = [row[0] for row in db.execute("SELECT name FROM sources ORDER BY name")]
    if name not in known:
        raise ValueError(f"no source named {name!r} in the database "
                         f"(known: {', '.join(known) or 'none'})")


def _dangling(operator: str, before: list[str]) -> str:
    if before:
        return f"{before[-1]} {operator}: two operators in a row"
    if operator == "NOT":
        return ("NOT needs a word before it: the index finds articles by the words they hold, "
                "so name what to find and then what to leave out (pekerja NOT migran)")
    return f"{operator} needs a word before it"


def search_articles(
    db: Database,
    query: str,
    *,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    limit: int = 20,
    relevant_only: bool = False,
) -> list[dict]:
    """Articles matching ``query``, best first (with ``relevant_only``, ministry
    coverage only).

    ``since``/``until`` are WIB dates or times (see :func:`storage.periods.utc_bounds`)
    compared with the publication time, or the time the article was first stored when
    that is unknown;
    ``source`` keeps one outlet. Each row has the article's id, source, url,
    title, published_at, cluster_id, relevant, a ``snippet`` with hits in
    [brackets] and the bm25 ``rank`` (lower is better).
    """
    start, end = utc_bounds(since, until)
    conditions = ["articles_fts MATCH :match"]
    params: dict[str, object] = {"match": fts_query(query), "limit": limit}
    if start is not None:
        conditions.append("coalesce(a.published_at, a.stored_at, a.fetched_at) >= :start")
        params["start"] = start
    if end is not None:
        conditions.append("coalesce(a.published_at, a.stored_at, a.fetched_at) < :end")
        params["end"] = end
    if source is not None:
        _check_source(db, source)
        conditions.append("a.source = :source")
        params["source"] = source
    if relevant_only:
        conditions.append("a.relevant = 1")
    return list(db.query(
        f"""SELECT a.id, a.source, a.url, a.title, a.published_at, a.cluster_id, a.relevant,
                   snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet,
                   bm25(articles_fts, {_TITLE_WEIGHT}, {_TEXT_WEIGHT}) AS rank
            FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
            WHERE {' AND '.join(conditions)}
            ORDER BY rank LIMIT :limit""",
        params,
    ))
