"""The editors' workflow files: valid for GitHub, pinned, and running what CI runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.mark.parametrize("schema,files", [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.github-issue-forms", FORMS),
    ("vendor.github-issue-config", [ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"]),
])
def test_github_files_pass_their_schemas(schema, files):
    assert files
    result = _run(str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_config_is_valid_and_runs_the_check():
    result = _run(str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert hooks[0]["entry"] == "make check"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_exact_versions(workflow):
    uses = re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8"))
    assert uses
    assert [u for u in uses if not re.fullmatch(r"[\w-]+/[\w-]+@v\d+\.\d+\.\d+", u)] == []


def test_pull_request_workflow_runs_what_ci_runs():
    pr = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in pr["jobs"]["check"]["steps"]]
    assert "make check" in runs and "bash .ci/run" in runs and "make build" in runs
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert any("upload-artifact" in step.get("uses", "") for step in pr["jobs"]["check"]["steps"])


def test_check_annotates_the_pull_request_under_github_actions(tmp_path):
    case = ROOT / "tests" / "cases" / "ten-mistakes"
    for name in ("units.yaml", "activities.yaml"):
        src = case / name if (case / name).exists() else ROOT / "tests" / "cases" / "_base" / name
        shutil.copy(src, tmp_path / name)
    env = {**os.environ, "GITHUB_ACTIONS": "true", "PYTHONPATH": str(ROOT / "hooks")}
    result = subprocess.run([sys.executable, "-m", "showcase", "check", str(tmp_path)],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 10
    assert annotations[0].startswith("::error file=activities.yaml,line=3,col=5,title=数据有误::activities[0].section")
