"""Characters a reader cannot see: one declaration for the checks that must find them (two names
that differ only by one, `北京大学\u034F` and 北京大学, are one name) and for every message
printed to a terminal or a CI log (where an ESC or a bidi override would act instead of show).
Which of them a text field may not hold at all is the models' rule (`models.forbidden_char`).
"""

from __future__ import annotations

import re
import unicodedata

# Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt): characters drawn as
# nothing, such as the combining grapheme joiner U+034F and the variation selectors; many are
# category Mn or Lo, which Python counts as printable and NFKC keeps.
DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
# Besides those, the categories nobody can see: control (ESC, NUL, DEL, C1), format (bidi
# controls, zero-width), surrogate, unassigned (the noncharacters U+FFFE, U+FDD0 … among them),
# and the line and paragraph separators that YAML reads as line breaks.
UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})


def is_invisible(char: str) -> bool:
    return bool(DEFAULT_IGNORABLE.match(char)) or unicodedata.category(char) in UNSEEN_CATEGORIES


def may_hide_something(text: str) -> bool:
    """False for the common text that holds no invisible character (a quick test first)."""
    return not text.isprintable() or DEFAULT_IGNORABLE.search(text) is not None
