"""Whole data files with arbitrary Unicode in every text field (right-to-left marks, zero-width
characters, 4-byte CJK, emoji, control characters): each file is refused with located errors,
or it builds and every value is on the site letter for letter, never as markup."""

from __future__ import annotations

import copy
import logging
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from showcase.dataset import load_dataset
from showcase.models import forbidden_char
from sitekit import NOT_TEXT, copy_project, read_site, rich_base, write_data

# Each example builds a whole site: not part of `make test-fast`.
pytestmark = pytest.mark.slow

SPECIALS = ["\u200f", "\u202e", "\u200b", "\u200d", "\ufeff", "\U00020000", "😀", "👨‍👩‍👧", "\x07", "\x1b",
            "<", ">", "&", '"', "'", "{{", "{%", "#", "*", "[", "]", "(", ")", "`", "\n", " ", "\u3000", "\\"]
RAW = st.lists(st.one_of(st.sampled_from(SPECIALS), st.characters(codec="utf-8")), min_size=1,
               max_size=16).map("".join)


def _clean(text: str) -> str:
    """What a careful editor could type: no padding, and no character the text rules refuse
    (controls, line breaks, bidi controls, noncharacters); zero-width joiners and the like stay."""
    kept = "".join(c for c in text if (c.isprintable() or c in "\u200b\u200d\ufeff") and forbidden_char(c) is None)
    return kept.strip() or "文"


CLEAN = RAW.map(_clean)


def _one_name(text: str) -> str:
    """Careful text as one entry of an award roll: no 、，,； and no spaces between names."""
    return re.sub(r"[、，,；\s]", "", text) or "文"


def _text_slots(value, key=None, path=()):
    """Paths of every free-text value in the data (ids, references and enums excluded)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in NOT_TEXT:
                yield from _text_slots(v, k, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _text_slots(v, key, (*path, i))
    elif isinstance(value, str) and key != "honours":
        yield path


UNITS, ACTIVITIES = rich_base()
SLOTS = [("units", p) for p in _text_slots(UNITS)] + [("activities", p) for p in _text_slots(ACTIVITIES)]


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _build_in_process(project):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    # The editorial view: it prints every field (notes, places in the sources), the public view a part.
    config = load_config(config_file=str(project / "mkdocs-editorial.yml"), site_dir=str(project / "site"),
                         strict=True)
    build(config)
    return project / "site"


def _check(tmp_path_factory, values) -> bool:
    """Returns whether the data was accepted (and then built and checked)."""
    work = tmp_path_factory.mktemp("prop")
    units, activities = copy.deepcopy(UNITS), copy.deepcopy(ACTIVITIES)
    for (which, path), value in zip(SLOTS, values, strict=True):
        _set(units if which == "units" else activities, path, value)
    data = write_data(work / "data-in", units, activities)
    dataset, report = load_dataset(str(data), display_dir="data")
    if dataset is None:
        assert report.problems
        for problem in report.problems:
            assert problem.file in ("data/units.yaml", "data/activities.yaml") and problem.line >= 1
        shutil.rmtree(work)
        return False
    site = _build_in_process(copy_project(work / "project", data))
    # the text, and photos' alt text (what a reader hears, or sees when a photo cannot load)
    text = " ".join(" ".join((page.text + " ".join(v for t, n, v in page.attributes if t == "img" and n == "alt"))
                             .split()) for page in read_site(site).values())
    for value in values:
        assert " ".join(value.split()) in text, f"{value!r} is not on the site as text"
    shutil.rmtree(work)
    return True


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(RAW, min_size=len(SLOTS), max_size=len(SLOTS)))
def test_any_careful_text_in_every_field_builds_and_shows_letter_for_letter(tmp_path_factory, drawn):
    # Numbered, so that no two names denote the same unit (which is refused, rightly). A roll's
    # `names` holds one name a line: careful text there is one name, without list separators.
    # A photo's alt text says what the photo shows in at least a few characters.
    values = [f"{_one_name(_clean(v)) if path[-1] == 'names' else _clean(v)}{i}"
              + ("：照片里的内容" if path[-1] == "alt" else "")
              for i, ((_, path), v) in enumerate(zip(SLOTS, drawn, strict=True))]
    assert _check(tmp_path_factory, values), "careful text was refused"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(RAW, min_size=len(SLOTS), max_size=len(SLOTS)))
def test_any_raw_text_builds_literally_or_is_refused_with_locations(tmp_path_factory, drawn):
    _check(tmp_path_factory, drawn)
