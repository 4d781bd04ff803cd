"""The digest as an e-mail ready HTML page.

Inline CSS only (mail clients drop ``<style>`` blocks and never run scripts),
one column no wider than 640 px that narrows to a phone's width, system fonts,
no images or external resources. Every string that came from a crawled page or
from the database goes through :func:`html.escape`; links are made only of
http(s) URLs.
"""

from __future__ import annotations

from html import escape

from warta.digest import phrasing as say
from warta.digest.model import Digest, Entry, Report

__all__ = ["render_html"]

_FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
_MUTED = "color:#5f6b7a;"
_BOX = ("background:#ffffff;border:1px solid #dde3ea;border-radius:8px;padding:14px 16px;"
        "margin:0 0 14px;")
_LIST = "margin:8px 0 0;padding:0 0 0 18px;"
_ITEM = "margin:0 0 6px;"
_LINK = "color:#0b57d0;text-decoration:underline;"
_BADGE = "display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600;"
_NEW = _BADGE + "background:#e3f4e8;color:#17603a;"
_CONTINUING = _BADGE + "background:#eef1f5;color:#3c4653;"
_WARN = ("background:#fff6e0;border:1px solid #f0c36d;border-radius:8px;padding:10px 14px;"
         "margin:0 0 14px;font-size:14px;")


def _e(text: str | None) -> str:
    return escape(text or "", quote=True)


def _link(title: str, url: str) -> str:
    safe = say.safe_url(url)
    text = _e(title or url)
    return f'<a href="{_e(safe)}" style="{_LINK}">{text}</a>' if safe else text


def render_html(digest: Digest) -> str:
    title = f"Kemenham coverage, {say.day_title(digest.day)}"
    parts = [
        ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
         '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
         f"<title>{_e(title)}</title>\n</head>\n"),
        ('<body style="margin:0;padding:0;background:#f2f4f7;">\n'
         f'<div style="max-width:640px;margin:0 auto;padding:16px 12px;font-family:{_FONT};'
         "font-size:15px;line-height:1.5;color:#1d2530;overflow-wrap:break-word;"
         'word-wrap:break-word;">\n'),
        ('<h1 style="font-size:21px;line-height:1.25;margin:0 0 2px;">Kemenham coverage</h1>\n'
         f'<div style="{_MUTED}font-size:14px;margin:0 0 10px;">{_e(say.day_title(digest.day))}'
         "</div>\n"),
        f'<p style="font-weight:600;margin:0 0 6px;">{_e(say.counts_line(digest))}</p>\n',
        _crawls(digest),
    ]
    if not digest.entries:
        parts.append(f'<div style="{_BOX}">{_e(say.empty_line(digest))}</div>\n')
    parts += [_entry(number, entry, digest.day)
              for number, entry in enumerate(digest.entries, 1)]
    parts.append(_late(digest))
    parts.append(f'<p style="{_MUTED}font-size:12px;margin:16px 0 0;">Made by warta at '
                 f"{_e(say.when(digest.generated_at, digest.day))}.</p>\n</div>\n</body>\n</html>\n")
    return "".join(parts)


def _crawls(digest: Digest) -> str:
    crawls = digest.crawls
    line = _e(say.crawls_line(digest))
    if not crawls.runs or crawls.failed_sources:
        items = "".join(f'<li style="{_ITEM}">{_e(say.failed_line(f))}</li>'
                        for f in crawls.failed_sources)
        listing = f'<ul style="{_LIST}">{items}</ul>' if items else ""
        return f'<div style="{_WARN}">&#9888; {line}{listing}</div>\n'
    return f'<p style="{_MUTED}font-size:14px;margin:0 0 14px;">{line}</p>\n'


def _entry(number: int, entry: Entry, day: str) -> str:
    facts = say.entry_facts(entry, day)
    badge = (f'<span style="{_NEW}">NEW</span>' if entry.new
             else f'<span style="{_CONTINUING}">{_e(facts[0])}</span>')
    rest = " · ".join(facts[1:])
    parts = [
        f'<div style="{_BOX}">\n',
        ('<h2 style="font-size:17px;line-height:1.3;margin:0 0 6px;">'
         f'<span style="{_MUTED}">{number}.</span> {_e(entry.headline)}</h2>\n'),
        f'<div style="{_MUTED}font-size:13px;margin:0 0 8px;">{badge} {_e(rest)}</div>\n',
    ]
    if entry.summary:
        parts.append(f'<p style="margin:0 0 8px;">{_e(" ".join(entry.summary))}</p>\n')
    items = []
    for report, official in say.listed(entry):
        copies = "".join(f'<li style="{_ITEM}">wire copy: {_report(c, day)}</li>'
                         for c in report.copies)
        nested = f'<ul style="{_LIST}font-size:14px;">{copies}</ul>' if copies else ""
        label = " (official)" if official else ""
        items.append(f'<li style="{_ITEM}">{_report(report, day, label)}{nested}</li>\n')
    parts.append(f'<ul style="{_LIST}">\n{"".join(items)}</ul>\n')
    parts.append(_release(entry, day))
    if entry.matched_terms:
        parts.append(f'<div style="{_MUTED}font-size:13px;margin:8px 0 0;">Watch terms: '
                     f'{_e(", ".join(entry.matched_terms))}</div>\n')
    parts.append("</div>\n")
    return "".join(parts)


def _late(digest: Digest) -> str:
    if not digest.late:
        return ""
    parts = [f'<div style="{_BOX}">\n',
             '<h2 style="font-size:17px;line-height:1.3;margin:0 0 6px;">Came in late</h2>\n',
             (f'<div style="{_MUTED}font-size:13px;margin:0 0 8px;">{_e(say.late_line(digest))}'
             "</div>\n")]
    for story, reports, rest in say.late_shown(digest):
        items = "".join(f'<li style="{_ITEM}">{_report(r, digest.day)}</li>' for r in reports)
        items += f'<li style="{_ITEM}{_MUTED}">{_e(rest)}</li>' if rest else ""
        parts.append(f'<p style="font-weight:600;margin:10px 0 0;">{_e(story.headline)}</p>\n'
                     f'<ul style="{_LIST}">{items}</ul>\n')
    more = say.late_more(digest)
    if more:
        parts.append(f'<p style="{_MUTED}margin:10px 0 0;">{_e(more)}</p>\n')
    parts.append("</div>\n")
    return "".join(parts)


def _report(report: Report, day: str, label: str = "") -> str:
    return (f"<strong>{_e(report.source)}</strong>{_e(label)}: {_link(report.title, report.url)} "
            f'<span style="{_MUTED}font-size:13px;white-space:nowrap;">'
            f"{_e(say.report_time(report, day))}</span>")


def _release(entry: Entry, day: str) -> str:
    if entry.release is None:
        return ""
    release = entry.release
    rows = "".join(
        f'<li style="{_ITEM}"><strong>{_e(say.delay(p.delay_minutes))}</strong> {_e(p.source)}'
        + (f" (wire copy of {_e(p.copy_of)})" if p.copy_of else "") + "</li>"
        for p in release.pickups)
    pickups = (f'<br>Picked up by:<ul style="{_LIST}">{rows}</ul>' if rows
               else "<br>No outlet has picked it up yet.")
    return (f'<div style="background:#f4f7fb;border-left:3px solid #0b57d0;padding:8px 12px;'
            f'margin:10px 0 0;font-size:14px;">Started by a press release: '
            f"{_report(release.report, day)}{pickups}</div>\n")
