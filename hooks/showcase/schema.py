"""JSON Schemas of the data files, generated from the models (editors' autocompletion)."""

from __future__ import annotations

import json
import os

from .models import ActivitiesFile, UnitsFile

SCHEMAS = {"units.schema.json": UnitsFile, "activities.schema.json": ActivitiesFile}
DATA_FILES = {"data/units.yaml": UnitsFile, "data/activities.yaml": ActivitiesFile}


def render_schema(model) -> str:
    schema = model.model_json_schema(mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(schema_dir: str) -> list[str]:
    os.makedirs(schema_dir, exist_ok=True)
    written = []
    for filename, model in SCHEMAS.items():
        path = os.path.join(schema_dir, filename)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(render_schema(model))
        written.append(path)
    return written
