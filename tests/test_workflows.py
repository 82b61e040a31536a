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
        triggers = workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as True
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
            elif _posts_comments_only(triggers, steps):
                allowed |= {"actions": "read", "pull-requests": "write"}  # pr-comment.yml: an artifact in, a comment out
            if not isinstance(granted, dict) or not granted.items() <= allowed.items():
                too_much.append((path.name, job_name, granted))
    assert too_much == []
    deploy_jobs = [job for job in _workflow("deploy.yml")["jobs"].values()
                   if any("actions/deploy-pages" in step.get("uses", "") for step in job["steps"])]
    assert [job.get("permissions") for job in deploy_jobs] == [{"pages": "write", "id-token": "write"}]


def _posts_comments_only(triggers, steps: list[dict]) -> bool:
    """A job of a workflow run only by workflow_run (the default branch's copy of the file) that
    checks out nothing, uses no action and runs no file of the repository: it may write comments."""
    return (isinstance(triggers, dict) and list(triggers) == ["workflow_run"]
            and not any("uses" in step for step in steps)
            and not any(re.search(r"\b(make|python3? -m|pip|\.ci/|\./|source|git)\b", step.get("run", ""))
                        for step in steps))


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


# Issue 15: what a pull request changes, as one comment, posted without running the pull request's code.

def _comment_step() -> dict:
    workflow = _workflow("pr-comment.yml")
    assert workflow.get("on", workflow.get(True)) == {"workflow_run": {"workflows": [workflow_name("pr.yml")],
                                                                       "types": ["completed"]}}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    (step,) = job["steps"]
    return step


def workflow_name(file: str) -> str:
    return _workflow(file)["name"]


def test_the_pull_request_check_writes_the_change_summary_and_uploads_it_as_data():
    steps = _workflow("pr.yml")["jobs"]["check"]["steps"]
    names = [step.get("name") for step in steps]
    diff = steps[names.index("数据变化说明")]
    assert names.index("数据变化说明") > names.index("上传网站预览")  # it links to the preview
    assert "python -m showcase diff" in diff["run"] and "$GITHUB_STEP_SUMMARY" in diff["run"]
    assert "${{" not in diff["run"]  # event values reach the shell as variables, never as code
    upload = steps[names.index("上传数据变化说明（供评论）")]
    assert upload["with"]["name"] == "pr-comment" and upload["with"]["path"] == "pr-comment/"
    assert steps[0]["with"]["fetch-depth"] == 2  # HEAD^1: the base of the merge commit


FAKE_GH = """#!/usr/bin/env bash
printf '%s\n' "$*" >> "$GH_LOG"
case "$1 $2" in
  "run download")
    [ -n "$FAKE_NO_ARTIFACT" ] && exit 1
    while [ $# -gt 0 ]; do [ "$1" = --dir ] && dir=$2; shift; done
    mkdir -p "$dir" && cp -r "$FAKE_ARTIFACT"/. "$dir"/ ;;
  "api repos/o/r/pulls/"*) echo "$FAKE_PR_HEAD" ;;
  "api --paginate") [ -n "$FAKE_COMMENT_ID" ] && echo "$FAKE_COMMENT_ID" ;;
  "api --method")
    for arg; do case $arg in body=@*) cp "${arg#body=@}" "$GH_BODY" ;; esac; done ;;
esac
exit 0
"""


def _post(tmp_path: Path, comment: str, number: str = "7", *, head: str = "abc", existing: str = "",
          no_artifact: bool = False) -> tuple[subprocess.CompletedProcess, list[str], str]:
    artifact = tmp_path / "artifact"
    artifact.mkdir(exist_ok=True)
    (artifact / "comment.md").write_text(comment, encoding="utf-8")
    (artifact / "pr-number").write_text(number + "\n", encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    log, body = tmp_path / "gh.log", tmp_path / "body.md"
    for path in (log, body):
        path.unlink(missing_ok=True)
    script = tmp_path / "post.sh"
    script.write_text(_comment_step()["run"], encoding="utf-8")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GH_LOG": str(log), "GH_BODY": str(body),
           "FAKE_ARTIFACT": str(artifact), "FAKE_PR_HEAD": head, "FAKE_COMMENT_ID": existing,
           "FAKE_NO_ARTIFACT": "1" if no_artifact else "", "GH_TOKEN": "t", "REPO": "o/r", "RUN_ID": "42",
           "HEAD_SHA": "abc", "RUN_URL": "https://github.com/o/r/actions/runs/42"}
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], capture_output=True,
                            text=True, env=env, timeout=30)
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return result, calls, body.read_text(encoding="utf-8") if body.exists() else ""


def test_the_comment_is_posted_once_then_updated(tmp_path):
    result, calls, body = _post(tmp_path, "### 这次修改的内容\n\n- 新增单位 `甲`\n")
    assert result.returncode == 0, result.stderr
    assert calls[0] == "run download 42 --repo o/r --name pr-comment --dir " + calls[0].split("--dir ")[1]
    assert calls[1] == "api repos/o/r/pulls/7 --jq .head.sha"
    assert calls[-1].startswith("api --method POST repos/o/r/issues/7/comments -F body=@")
    assert body.startswith("<!-- showcase-diff -->\n### 这次修改的内容") and "actions/runs/42" in body
    result, calls, _ = _post(tmp_path, "### 这次修改的内容\n", existing="99")
    assert result.returncode == 0 and calls[-1].startswith("api --method PATCH repos/o/r/issues/comments/99 ")


def test_the_comment_believes_the_artifact_only_for_the_checked_commit(tmp_path):
    result, calls, _ = _post(tmp_path, "x", head="another-commit")  # a newer push, or another PR's number
    assert result.returncode == 0 and not any(c.startswith("api --method") for c in calls)
    for number in ("7; rm -rf /", "-1", "0", "12345678901", "../8"):
        result, calls, _ = _post(tmp_path, "x", number=number)
        assert result.returncode == 1 and "::error::" in result.stdout, number
        assert not any(c.startswith("api") for c in calls), number
    result, calls, _ = _post(tmp_path, "x", no_artifact=True)
    assert result.returncode == 0 and len(calls) == 1


def test_the_comment_is_cut_to_githubs_limit(tmp_path):
    result, _, body = _post(tmp_path, "长" * 70_000)
    assert result.returncode == 0
    assert len(body) < 65_536 and body.count("长") == 60_000
