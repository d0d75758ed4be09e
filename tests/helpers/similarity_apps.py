"""Honest apps written from the notebooks alone (tests/similarity/), and copies of apps made by small edits."""

import ast
import io
import re
import tokenize
from pathlib import Path

from workshop.grading import similarity
from workshop.release import render_tree

HONEST = sorted(Path(__file__).parent.parent.joinpath("similarity").glob("honest_*"))


def honest_tree(folder):
    """The starter with the honest solution in ``folder`` laid over it."""
    tree = render_tree(0)
    for path in folder.rglob("*"):
        if path.is_file():
            tree[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    return tree


def app_source(tree):
    """What a graded record holds of an app: its Python files and templates that differ from the starter's."""
    starter = similarity.starter_tree()
    return {path: text for path, text in tree.items()
            if path.endswith(similarity.SUFFIXES) and text != starter.get(path)}


def honest_source(folder):
    return app_source(honest_tree(folder))


def reference_source():
    return app_source(render_tree(6))


def renamed(text):
    """Every local variable of every function given another name (in f-strings too): the app works as before."""
    tree = ast.parse(text)
    names = {node.id for function in ast.walk(tree) if isinstance(function, ast.FunctionDef)
             for node in ast.walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    if not names:
        return text
    name = re.compile(r"\b({})\b".format("|".join(map(re.escape, names))))
    out, depth, tokens = [], 0, list(tokenize.generate_tokens(io.StringIO(text).readline))
    for before, token, after in zip([None, *tokens[:-1]], tokens, [*tokens[1:], None], strict=True):
        string = token.string
        depth += (string in "([{") - (string in ")]}") if token.type == tokenize.OP else 0
        keyword_argument = depth and after is not None and after.string == "="
        if token.type == tokenize.NAME and string in names and before.string != "." and not keyword_argument:
            string = f"renamed_{string}"
        elif token.type == tokenize.STRING and "f" in string.split(string[-1])[0].lower():
            string = re.sub(r"\{[^{}]*\}", lambda braces: name.sub(r"renamed_\1", braces[0]), string)
        out.append((token.type, string))
    return tokenize.untokenize(out)


def reformatted(text):
    """The code as ast.unparse writes it: its own layout and quotes, no comments."""
    return ast.unparse(ast.parse(text)) + "\n"


def reordered(text):
    """The module's functions and classes in reverse order (decorators and all), the rest where it was."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    blocks = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    if len(blocks) < 2:
        return text
    spans = [((node.decorator_list[0] if node.decorator_list else node).lineno - 1, node.end_lineno) for node in blocks]
    pieces = ["".join(lines[start:end]) + "\n\n" for start, end in spans]
    first, last = spans[0][0], spans[-1][1]
    return "".join(lines[:first]) + "".join(reversed(pieces)) + "".join(lines[last:])


def reworded(text):
    """Other comments, docstrings and messages (strings with a space in them)."""
    out = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        string = token.string
        if token.type == tokenize.COMMENT:
            string = "# my own words"
        elif token.type == tokenize.STRING and " " in string and not string.startswith(("f", "b", "r")):
            string = repr(f"my own words {len(string)}")
        out.append((token.type, string))
    return tokenize.untokenize(out)


def all_at_once(text):
    return reordered(reformatted(reworded(renamed(text))))


def template_reworded(text):
    """A template with other words between its tags, and its own layout."""
    return re.sub(r"(?<=>)[^<>{}]*[A-Za-z][^<>{}]*(?=<)", " my own words ", text).replace("\n", "\n  ")


EDITS = {
    "renamed": renamed, "reformatted": reformatted, "reordered": reordered, "reworded": reworded,
    "all four": all_at_once,
}
TEMPLATE_EDITS = {"reworded": template_reworded, "all four": template_reworded}


def copied(source, edit):
    name = next(name for name, function in EDITS.items() if function is edit)
    template_edit = TEMPLATE_EDITS.get(name, lambda text: text)
    return {path: edit(text) if path.endswith(".py") else template_edit(text) for path, text in source.items()}


def record(learner, source):
    return {"learner": learner, "source": source, "flags": []}
