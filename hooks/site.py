"""MkDocs hooks: glue only. Loading, checking and page generation live in `showcase/`."""

from __future__ import annotations

import os

from mkdocs.exceptions import PluginError

from showcase.dataset import load_dataset


def on_config(config):
    root = os.path.dirname(config.config_file_path)
    dataset, report = load_dataset(os.path.join(root, "data"), display_dir="data")
    if report:
        raise PluginError("数据文件有问题，网站未构建：\n" + report.format())
    config["extra"]["showcase_dataset"] = dataset
    return config
