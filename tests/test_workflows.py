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
    repos = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    # Local hooks only: CI has no network to fetch hook repositories.
    assert [repo["repo"] for repo in repos] == ["local"]
    hooks = repos[0]["hooks"]
    assert hooks[0]["entry"] == "make check"
    assert "make lint" in [hook["entry"] for hook in hooks]


def test_pull_request_workflow_runs_what_ci_runs():
    pr = yaml.safe_load((ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in pr["jobs"]["check"]["steps"]]
    assert "make check" in runs and "bash .ci/run" in runs and "make build" in runs and "make lint" in runs
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
    assert annotations[0].startswith(
        "::error file=activities.yaml,line=3,col=5,title=数据有误::activities[0].basis")


# Finding 14: the workflows hold no more than they need, and a pull request cannot smuggle a symlink in.

def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _steps():
    for path in WORKFLOWS:
        for job_name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            for step in job.get("steps", []):
                yield f"{path.name}:{job_name}", step


def test_finding_14_actions_are_pinned_to_commit_shas_with_the_tag_in_a_comment():
    # A tag can be moved to other code; a full commit SHA cannot. The comment keeps the version readable.
    lines = [(path.name, line.strip()) for path in WORKFLOWS
             for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(-\s+)?uses:", line)]
    assert len(lines) == sum(1 for _, step in _steps() if "uses" in step) > 0
    pinned = re.compile(r"(-\s+)?uses:\s*[\w.-]+/[\w.-]+(/[\w.-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+")
    assert [(name, line) for name, line in lines if not pinned.fullmatch(line)] == []


def test_finding_14_pages_and_oidc_permissions_only_on_the_deploy_job():
    read_only = {"contents": "read"}
    too_much = []
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        # Absent workflow-level permissions mean the repository default, which may be write-all.
        top = workflow.get("permissions")
        if not isinstance(top, dict) or not top.items() <= read_only.items():
            too_much.append((path.name, "workflow", top))
        for job_name, job in workflow["jobs"].items():
            granted = job.get("permissions", top) or {}
            steps = job.get("steps", [])
            deploys = any("actions/deploy-pages" in step.get("uses", "") for step in steps)
            runs_code = any("run" in step or "actions/checkout" in step.get("uses", "") for step in steps)
            allowed = dict(read_only)
            if deploys and not runs_code:
                allowed |= {"pages": "write", "id-token": "write"}
            elif not runs_code:
                allowed |= {"pages": "read"}  # configure-pages reads the site's address, nothing else
            if not isinstance(granted, dict) or not granted.items() <= allowed.items():
                too_much.append((path.name, job_name, granted))
    assert too_much == []
    deploy_jobs = [job for job in _workflow("deploy.yml")["jobs"].values()
                   if any("actions/deploy-pages" in step.get("uses", "") for step in job["steps"])]
    assert [job.get("permissions") for job in deploy_jobs] == [{"pages": "write", "id-token": "write"}]


def test_finding_14_checkout_does_not_keep_its_credentials():
    checkouts = [(where, step.get("with") or {}) for where, step in _steps()
                 if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    assert [where for where, inputs in checkouts if inputs.get("persist-credentials") is not False] == []


def _symlink_step() -> tuple[int, dict, list[dict]]:
    steps = _workflow("pr.yml")["jobs"]["check"]["steps"]
    found = [i for i, step in enumerate(steps) if step.get("id") == "symlinks"]
    assert found, "pr.yml has no step with id: symlinks"
    return found[0], steps[found[0]], steps


def _run_symlink_step(tree: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    script = tmp_path / "refuse-symlinks.sh"
    script.write_text(_symlink_step()[1]["run"], encoding="utf-8")
    # How GitHub runs a step with `shell: bash`.
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                          capture_output=True, text=True, cwd=tree, timeout=20)


def test_finding_14_pull_request_workflow_refuses_symlinks_before_running_repository_code(tmp_path):
    index, step, steps = _symlink_step()
    assert step.get("shell") == "bash"
    # Nothing before it runs repository code (only the checkout action) ...
    assert [s for s in steps[:index]
            if "run" in s or not s.get("uses", "").startswith("actions/checkout@")] == []
    # ... and nothing after it runs once it has failed (`if: always()` would).
    assert [s.get("name") for s in steps[index + 1:]
            if "if" in s and "steps.symlinks.outcome == 'success'" not in s["if"]] == []

    tree = tmp_path / "tree"
    (tree / "docs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    (tree / "README.md").write_text("真实文件\n", encoding="utf-8")
    (tree / "data sources").mkdir()
    (tree / "data sources" / "real.txt").write_text("原文\n", encoding="utf-8")
    assert _run_symlink_step(tree, tmp_path).returncode == 0
    assert "::error" not in _run_symlink_step(tree, tmp_path).stdout

    os.symlink("/proc/self/environ", tree / "docs" / "my env.txt")
    os.symlink("../.git/config", tree / "docs" / "a,b:c.txt")
    os.symlink("../README.md", tree / "data sources" / "two\nlines\r.txt")
    os.symlink("/", tree / "docs" / "esc\x1b[31m")
    os.symlink("/", tree / ".git" / "inside-git")  # .git is not part of the tree a pull request brings
    result = _run_symlink_step(tree, tmp_path)
    assert result.returncode != 0
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    files = sorted(re.match(r"::error file=([^,]*),", line).group(1) for line in errors)
    assert files == ["data sources/two%0Alines%0D.txt", "docs/a%2Cb%3Ac.txt",
                     "docs/escU+001B[31m", "docs/my env.txt"]
    assert all("::符号链接不能提交：请改为真实文件" in line for line in errors)
    assert "（docs/my env.txt）" in result.stdout
    assert "（data sources/twoU+000AlinesU+000D.txt）" in result.stdout
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", result.stdout)  # no raw control characters
    assert len(result.stdout.splitlines()) == len(errors) + 1  # one line per symlink, and the summary
