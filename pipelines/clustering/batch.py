"""Clustering outside a crawl: JSON Lines in, one decision per article out.

Input lines carry ``id``, ``title``, ``text``, ``published`` (ISO-8601 or null) and
``source``; a line that is not such an object, or longer than any article (5 million
characters), is reported with its line number and skipped. A publication time that is
not an ISO-8601 string (a number too), more than two days ahead of the clock (a
typo such as 2205 would move the time window past every other article) or before 1900
(1025 would head every copy family), is reported and the article clustered as undated (a blank one is no time); unpaired
surrogate escapes in the text become U+FFFD. The articles go through the same
:class:`Clusterer` a crawl uses, in file order.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.params import ClusterParams
from pipelines.clustering.state import Decision, Doc

__all__ = [
    "BadLine", "check_id", "numbered_lines", "output_record", "parse_time", "read_docs",
    "run_batch",
]


FUTURE_SLACK = timedelta(days=2)  # publication times beyond now + this are typos
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)  # no earlier time is a news report's (1025: a typo)
MAX_LINE_CHARS = 5_000_000  # a longer line is no article (a crawl keeps pages to 5 MB)
_SURROGATE = re.compile("[\ud800-\udfff]")
_BOM = "\ufeff".encode()


@dataclass(frozen=True)
class BadLine:
    """An input line with a problem: its number (from 1), what is wrong with it, and
    whether it was skipped (else the article was kept, as ``reason`` says)."""

    line: int
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" + (" (skipped)" if self.skipped else "")


def parse_time(value: str | None) -> float | None:
    """POSIX seconds of an ISO-8601 time (UTC when it names no offset); None for None.

    Raises ValueError for a string that is not ISO-8601."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def numbered_lines(lines: Iterable[str | bytes],
                   problems: list[BadLine]) -> Iterator[tuple[int, str]]:
    """The lines that are not blank, with their numbers (from 1). Lines given as bytes
    are read as UTF-8 (a byte order mark skipped); bytes that are not UTF-8 are
    replaced by U+FFFD and reported to ``problems``."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            line = _decoded(line.removeprefix(_BOM) if number == 1 else line, number, problems)
        if line.strip():
            yield number, line


def read_docs(lines: Iterable[str | bytes],
              problems: list[BadLine]) -> Iterator[tuple[Doc, dict]]:
    """The articles of JSON Lines input (see :func:`numbered_lines`) with their raw
    records; bad lines go to ``problems``."""
    seen: dict[str, int] = {}
    earliest, latest = EARLIEST.timestamp(), (datetime.now(UTC) + FUTURE_SLACK).timestamp()
    for number, line in numbered_lines(lines, problems):
        if len(line) > MAX_LINE_CHARS:
            problems.append(BadLine(number, f"{len(line) / 1e6:.1f} million characters, more than "
                                            f"an article's {MAX_LINE_CHARS / 1e6:g} million"))
            continue
        try:
            doc, record = _doc(line)
        except (TypeError, ValueError) as exc:
            problems.append(BadLine(number, str(exc)))
            continue
        if doc.key in seen:
            problems.append(BadLine(number, f"id {doc.key!r} already given on line {seen[doc.key]}"))
            continue
        seen[doc.key] = number
        if doc.published is None and str(record.get("published") or "").strip():
            problems.append(BadLine(number, f"'published' is not an ISO-8601 time: "
                                            f"{record['published']!r}; clustered as undated",
                                    skipped=False))
        if doc.published is not None and not earliest <= doc.published <= latest:
            when = "in the future" if doc.published > latest else "before 1900"
            problems.append(BadLine(number, f"'published' {record['published']!r} is {when};"
                                            " clustered as undated", skipped=False))
            doc = dataclasses.replace(doc, published=None)
        yield doc, record


def _decoded(line: bytes, number: int, problems: list[BadLine]) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(BadLine(number, f"not UTF-8 (byte {exc.start + 1}); the bytes that are "
                                        "not were replaced with U+FFFD", skipped=False))
        return line.decode("utf-8", errors="replace")


def check_id(value, name: str) -> str:
    """``value`` as a key: a non-empty string or a whole number; TypeError or ValueError
    naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise TypeError(f"{name!r} must be a non-empty string or a whole number")
    if isinstance(value, str) and _SURROGATE.search(value):
        raise ValueError(f"{name!r} holds an unpaired surrogate escape (\\ud800-\\udfff)")
    return str(value)


def json_line(line: str):
    """The value of one JSON Lines line; ValueError naming the character where it breaks."""
    line = line.rstrip("\r\n")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        where = f"character {exc.pos + 1}" if exc.pos < len(line) else "the end of the line"
        message = exc.msg.removesuffix(" at")  # "Unterminated string starting at"
        raise ValueError(f"not valid JSON ({message} at {where})") from None
    except RecursionError:
        raise ValueError("not an article: JSON nested too deeply to read") from None
    except ValueError:  # a number of thousands of digits
        raise ValueError("not an article: a number too long to read") from None


def _doc(line: str) -> tuple[Doc, dict]:
    record = json_line(line)
    if not isinstance(record, dict):
        raise TypeError("expected a JSON object")
    key = check_id(record.get("id"), "id")
    text = record.get("text")
    if not isinstance(text, str):
        raise TypeError("'text' must be a string")
    for name in ("title", "source"):
        if record.get(name) is not None and not isinstance(record[name], str):
            raise ValueError(f"{name!r} must be a string or null")
    if not text.isascii():
        text = _SURROGATE.sub("\ufffd", text)
    raw = record.get("published")
    try:
        published = parse_time(raw or None) if raw is None or isinstance(raw, str) else None
    except ValueError:
        published = None  # read_docs reports it; the article is clustered on its text alone
    doc = Doc(key=key, title=_SURROGATE.sub("\ufffd", record.get("title") or ""), text=text,
              published=published, source=record.get("source"))
    return doc, record


def output_record(record: dict, decision: Decision) -> dict:
    """The output line of one article (its input ``id`` kept as given)."""
    return {
        "id": record["id"],
        "cluster": decision.cluster_id,
        "duplicate_of": decision.duplicate_of,
        "similarity": decision.similarity,
        "cluster_score": None if decision.score is None else round(decision.score, 4),
    }


def run_batch(source: Iterable[str], params: ClusterParams | None = None,
              keep: Callable[[dict], bool] | None = None,
              progress: Callable[[int], None] | None = None) -> tuple[
        list[tuple[dict, Decision]], list[BadLine]]:
    """Cluster every good line of ``source`` (those ``keep`` accepts, if given); return
    ({"id": ...}, decision) pairs and the bad lines. The batch ends with one more
    re-examination of its stories (``Clusterer.finish``), and decisions are brought up
    to date with what later articles and it did: the cluster each ended in, the copy
    each now points to.
    ``progress``, if given, is called with the number of articles clustered so far
    after each one."""
    clusterer = Clusterer(params)
    problems: list[BadLine] = []
    results = []
    for doc, record in read_docs(source, problems):
        if keep is None or keep(record):
            decision = clusterer.assign(doc)
            decision.signed = None  # nothing is stored: let the signatures go
            results.append(({"id": record["id"]}, decision))
            if progress is not None:
                progress(len(results))
    clusterer.finish()
    by_key = {decision.key: decision for _, decision in results}
    for _, decision in results:
        decision.cluster_id = clusterer.final_cluster(decision.cluster_id)
        for key, similarity in decision.reparented.items():
            by_key[key].duplicate_of, by_key[key].similarity = decision.key, similarity
    ids = {decision.key: record["id"] for record, decision in results}
    for _, decision in results:
        if decision.duplicate_of is not None:
            decision.duplicate_of = ids.get(decision.duplicate_of, decision.duplicate_of)
    return results, problems
