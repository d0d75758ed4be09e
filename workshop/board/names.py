"""What a learner may be called on the board: a name that reads as a name, and only one of its kind.

A name holds letters, digits and accents, single spaces, and the marks ``-`` ``'`` ``’`` ``.``; at
least one letter or digit; at most ``MAX_MARKS`` accents on a letter; and letters of one script
(Chinese, Japanese and Korean count as one), so that a Cyrillic "А" never poses as a Latin "A".
Two names are the same name when they only differ in case, width or the way accents are
encoded: NFKC-normalized and case-folded, they are equal.
"""

import unicodedata

from flask import abort

PUNCTUATION = set(" -'’.")
MAX_MARKS = 3
EAST_ASIAN = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC")


def shown(name):
    """``name`` as the board shows it: NFC, single spaces; or abort with 400 saying what is wrong."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not any(is_letter(c) or unicodedata.category(c) == "Nd" for c in name):
        abort(400, "A name must hold a letter or a digit.")
    if not all(is_letter(c) or unicodedata.category(c) in ("Nd", "Mn", "Mc") or c in PUNCTUATION for c in name):
        abort(400, "A name may only hold letters, digits, spaces and - ' ’ .")
    if most_marks_in_a_row(name) > MAX_MARKS:
        abort(400, f"A name may hold at most {MAX_MARKS} accents on a letter.")
    if len({script(c) for c in unicodedata.normalize("NFKC", name) if is_letter(c)} - {None}) > 1:
        abort(400, "A name must be written in one script: it mixes letters that look alike, say Latin and Cyrillic.")
    return name


def key(name):
    """What two names that look the same have in common."""
    return unicodedata.normalize("NFKC", name).casefold()


def is_letter(c):
    """Whether ``c`` is a letter that shows (Hangul fillers are letters that look blank)."""
    return unicodedata.category(c).startswith("L") and "FILLER" not in unicodedata.name(c, "")


def most_marks_in_a_row(name):
    most = run = 0
    for c in name:
        run = run + 1 if unicodedata.category(c) in ("Mn", "Mc") else 0
        most = max(most, run)
    return most


def script(letter):
    """The script of ``letter``, from its Unicode name ("LATIN SMALL LETTER A": LATIN); None for
    modifier letters, which go with any script."""
    first_word = unicodedata.name(letter, "").split(" ")[0]
    if first_word == "MODIFIER":
        return None
    return "EAST ASIAN" if first_word.startswith(EAST_ASIAN) else first_word
