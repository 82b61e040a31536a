"""The JSON Schemas in schema/ are generated from the models and must not go stale."""

from __future__ import annotations

import json
import os

import pytest

from showcase.schema import SCHEMAS, render_schema

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("filename", sorted(SCHEMAS))
def test_schema_is_current(filename):
    with open(os.path.join(ROOT, "schema", filename), encoding="utf-8") as f:
        committed = f.read()
    assert committed == render_schema(SCHEMAS[filename]), (
        f"schema/{filename} is stale: run `make schema` and commit the result"
    )


@pytest.mark.parametrize("data_file,schema_file", [("units.yaml", "units.schema.json"),
                                                    ("activities.yaml", "activities.schema.json")])
def test_data_files_point_editors_at_their_schema(data_file, schema_file):
    with open(os.path.join(ROOT, "data", data_file), encoding="utf-8") as f:
        first_line = f.readline().strip()
    assert first_line == f"# yaml-language-server: $schema=../schema/{schema_file}"


def test_schema_forbids_unknown_fields_and_describes_fields_in_chinese():
    schema = json.loads(render_schema(SCHEMAS["units.schema.json"]))
    unit = schema["$defs"]["Unit"]
    assert unit["additionalProperties"] is False
    assert "单位" in unit["properties"]["id"]["description"]
