"""A node's ``content/*.md`` file: its definition (first paragraph) and its links.

roadmap.sh writes one Markdown file per node: a ``# Heading``, a paragraph or
more, then a list of links tagged with their kind,
``- [@article@Title](https://…)``.

Examples
--------
>>> text = '''# Tensors
...
... A **tensor** is an array of [numbers](https://x.example/n) with `n` axes.
... More text.
...
... Visit the following resources to learn more:
...
... - [@official@Tensor docs](https://docs.example/tensor)
... - [@video@Tensors in 5 minutes](https://video.example/t)
... '''
>>> page = parse_content(text)
>>> page.definition
'A tensor is an array of numbers with n axes. More text.'
>>> [(link.type, link.title) for link in page.links]
[('docs', 'Tensor docs'), ('video', 'Tensors in 5 minutes')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: roadmap.sh link tag → our resource ``type`` (``None``: not a learning resource we keep).
LINK_TYPES: dict[str, str | None] = {
    "official": "docs",
    "article": "article",
    "video": "video",
    "course": "course",
    "book": "book",
    "opensource": "repo",
    "feed": "blog",
    "podcast": None,
    "roadmap": None,  # a link to another roadmap.sh roadmap
}

_LINK = re.compile(r"\[@([A-Za-z]+)@([^\]]*)\]\(\s*(\S+?)\s*\)")
#: An untagged link in a list (the content of roadmaps before 2024).
_PLAIN_ITEM = re.compile(r"^\s*[-*]\s+\[([^\]@][^\]]*)\]\(\s*(\S+?)\s*\)", re.MULTILINE)
_VIDEO_HOSTS = re.compile(r"^https?://(www\.|m\.)?(youtube\.com|youtu\.be|vimeo\.com)/")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")


@dataclass(frozen=True)
class Link:
    """One tagged link of a content file."""

    tag: str
    title: str
    url: str

    @property
    def type(self) -> str | None:
        """Our resource type for the tag (None for tags we do not keep).

        An untagged link (older content) is a video on a video site, else an article.

        >>> Link("", "t", "https://youtu.be/x").type, Link("", "t", "https://a.example").type
        ('video', 'article')
        """
        if not self.tag:
            return "video" if _VIDEO_HOSTS.match(self.url) else "article"
        return LINK_TYPES.get(self.tag, "article")


@dataclass
class Page:
    """What a content file says: a definition and tagged links."""

    definition: str = ""
    links: list[Link] = field(default_factory=list)


def plain(markdown: str) -> str:
    """Markdown inline text as plain text.

    >>> plain("Use **pip** or [uv](https://u.example) to `install`.")
    'Use pip or uv to install.'
    """
    text = _MD_LINK.sub(r"\1", markdown)
    return " ".join(_MARKUP.sub("", text).split())


def parse_content(text: str) -> Page:
    """The first paragraph (as plain text) and the tagged links of a content file."""
    page = Page()
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        stripped = block.strip()
        if not stripped or stripped.startswith(("#", "- [@", "* [@", "<", "!")):
            continue
        if _LINK.search(stripped) or _PLAIN_ITEM.match(stripped):
            continue
        if stripped.endswith(":") and len(stripped) < 80:
            continue  # the link list or its lead-in ("Visit the following resources…:")
        page.definition = plain(stripped)
        break
    found = [(tag.lower(), title, url) for tag, title, url in _LINK.findall(text)]
    found += [("", title, url) for title, url in _PLAIN_ITEM.findall(text)]
    for tag, title, url in found:
        if url.startswith(("http://", "https://")):
            page.links.append(Link(tag, " ".join(title.split()) or url, url))
    return page
