"""A page of text as blocks (title, headings, paragraphs, list items), written as Markdown, plain text or HTML.

A block's parts are plain strings (the grader's own words) or ``Learner``, ``Code`` and ``Strong``
parts. In Markdown, learner-influenced text is escaped so that it cannot turn into links or
markup; in plain text nothing is escaped, so the page reads cleanly wherever it is pasted; in HTML
(for a platform's comment box) every text is escaped.
"""

import html
import re
from dataclasses import dataclass

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


@dataclass(frozen=True)
class Learner:
    """Text that the learner's submission could influence."""
    value: str


@dataclass(frozen=True)
class Code:
    """A command or a path."""
    value: str


@dataclass(frozen=True)
class Strong:
    value: str


@dataclass(frozen=True)
class Block:
    kind: str  # "title", "heading", "para" or "item"
    parts: tuple
    depth: int = 0  # of a list item


def title(*parts):
    return Block("title", parts)


def heading(*parts):
    return Block("heading", parts)


def para(*parts):
    return Block("para", parts)


def item(depth, *parts):
    return Block("item", parts, depth)


def one_line(value):
    """``value`` on one line, without control characters."""
    line = " ".join(str(value).split())
    return line if line.isprintable() else "".join(c for c in line if c.isprintable())


def text(value):
    """Learner-influenced text, safe inside Markdown: one line, no markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(one_line(value), quote=False))


def markdown_part(part):
    if isinstance(part, Learner):
        return text(part.value)
    if isinstance(part, Code):
        return "`" + one_line(part.value).replace("`", "'") + "`"
    if isinstance(part, Strong):
        return f"**{part.value}**"
    return part


def plain_part(part):
    return one_line(part.value) if isinstance(part, (Learner, Code, Strong)) else part


MARKDOWN_PREFIX = {"title": "# ", "heading": "## ", "para": ""}


def markdown(blocks):
    return rendered(blocks, markdown_part, lambda kind, content: [MARKDOWN_PREFIX[kind] + content, ""])


def plain(blocks):
    return rendered(blocks, plain_part, plain_block)


def plain_block(kind, content):
    """A title or heading underlined (= or -), as plain text shows it; a paragraph as it is."""
    if kind == "para":
        return [content, ""]
    return [content, ("=" if kind == "title" else "-") * len(content), ""]


def rendered(blocks, part, block_lines):
    """The blocks as text: list items as indented "- " lines, the other blocks by ``block_lines(kind, content)``."""
    lines = []
    for block in blocks:
        content = "".join(part(p) for p in block.parts)
        if block.kind == "item":
            lines.append("  " * block.depth + "- " + content)
        else:
            lines += block_lines(block.kind, content)
    return joined(lines)


def joined(lines):
    """The lines as one text: a blank line after each list, one newline at the end."""
    out = []
    for line in lines:
        if out and line and not line.lstrip().startswith("- ") and out[-1].lstrip().startswith("- "):
            out.append("")
        out.append(line)
    return "\n".join(out).strip() + "\n"


HTML_TAG = {"title": "h3", "heading": "h4", "para": "p"}


HTML_WRAP = {Code: "code", Strong: "strong"}


def html_part(part):
    escaped = html.escape(plain_part(part))
    tag = HTML_WRAP.get(type(part))
    return f"<{tag}>{escaped}</{tag}>" if tag else escaped


def html_page(blocks):
    """The blocks as an HTML fragment: list items in nested lists."""
    out, depth = [], -1
    for block in blocks:
        content = "".join(html_part(p) for p in block.parts)
        target = block.depth if block.kind == "item" else -1
        out += ["<ul>"] * max(target - depth, 0) + ["</ul>"] * max(depth - target, 0)
        depth = target
        tag = HTML_TAG.get(block.kind, "li")
        out.append(f"<{tag}>{content}</{tag}>")
    return "".join(out + ["</ul>"] * (depth + 1))
