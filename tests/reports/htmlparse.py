"""A small HTML reader for the tests: elements with attributes, text, and every fetchable URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

URL_ATTRIBUTES = {"src", "href", "srcset", "action", "poster", "data", "xlink:href"}


@dataclass
class Page:
    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def elements(self, name: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == name]

    def by_id(self, ident: str) -> tuple[str, dict[str, str]] | None:
        return next(((t, a) for t, a in self.tags if a.get("id") == ident), None)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def urls(self) -> list[str]:
        return [v for _t, a in self.tags for k, v in a.items() if k in URL_ATTRIBUTES]

    def handlers(self) -> list[str]:
        return [k for _t, a in self.tags for k in a if k.startswith("on")]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.page.texts.append(data)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page
