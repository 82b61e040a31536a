"""`python -m showcase check [DATA_DIR]`: validate the data, print every problem, exit 1 if any.
`python -m showcase schema [SCHEMA_DIR]`: write the JSON Schemas of both files.
`python -m showcase diff BASE [NEW] [--markdown FILE] …`: what changed since BASE (a git version
such as origin/main, or a data folder), in Chinese; exit 1 when the new version has problems."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack

from .dataset import load_dataset
from .schema import write_schemas


def main(argv: list[str]) -> int:
    command, *args = argv or ["check"]
    if command == "check":
        dataset, report = load_dataset(args[0] if args else "data")
        if report.problems:  # errors, or warnings alone (these do not fail the check)
            if os.environ.get("GITHUB_ACTIONS") == "true":
                print(report.github_annotations())
            print(report.format())
        if report:
            return 1
        units = dataset.units.units
        print(f"数据无误：{len(units)} 家单位，{len(dataset.activities.activities)} 项活动。")
        return 0
    if command == "schema":
        for path in write_schemas(args[0] if args else "schema"):
            print(f"wrote {path}")
        return 0
    if command == "diff":
        return diff(args)
    print(__doc__, file=sys.stderr)
    return 2


def _diff_arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m showcase diff", description="用中文逐条说明数据相对于基准版本的变化（记录、照片、网站页面）。")
    parser.add_argument("base", help="基准版本：git 版本名（如 origin/main、HEAD^1）或一个数据文件夹")
    parser.add_argument("new", nargs="?", default="data", help="新版本的数据文件夹（默认 data）")
    parser.add_argument("--base-name", help="说明中基准版本的名称（默认即 BASE），如 main")
    parser.add_argument("--markdown", metavar="FILE",
                        help="另把说明写成 Markdown（检查摘要、拉取请求的评论）；- 表示输出到屏幕而不输出文字版")
    parser.add_argument("--preview-url", help="网站预览（构建产物）的下载地址，列在页面变化前")
    parser.add_argument("--photo-url-old", help="基准版本 data/ 文件夹在网上的地址（照片缩略图）")
    parser.add_argument("--photo-url-new", help="新版本 data/ 文件夹在网上的地址（照片缩略图）")
    return parser


def diff(args: list[str]) -> int:
    from . import diff as changes
    from .gittree import GitError, repository_of

    options = _diff_arguments().parse_args(args)
    if not os.path.isdir(options.new):
        print(f"找不到数据文件夹 {options.new}", file=sys.stderr)
        return 2
    new_shown = os.path.relpath(options.new)
    with ExitStack() as stack:
        try:
            if os.path.isdir(options.base):
                old = changes.read_folder(options.base, os.path.relpath(options.base), os.path.relpath(options.base))
            else:
                repo, inside = repository_of(options.new)
                old = stack.enter_context(changes.git_version(repo, inside, options.base))
        except GitError as error:
            print(f"无法读取基准版本：{error}", file=sys.stderr)
            return 2
        new = changes.read_folder(options.new, new_shown, new_shown)
        old.photo_url, new.photo_url = options.photo_url_old, options.photo_url_new
        old.name = options.base_name or old.name
        summary = changes.summarize(old, new)
        if options.markdown != "-":
            print(changes.format_text(summary))
        if options.markdown:
            text = changes.format_markdown(summary, preview_url=options.preview_url)
            if options.markdown == "-":
                sys.stdout.write(text)
            else:
                with open(options.markdown, "w", encoding="utf-8") as out:
                    out.write(text)
    return 0 if summary.valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
