# Two commands on a fresh machine: `make serve` (or `make build`) and `make test`.
# Each bootstraps .venv with the pinned packages it needs.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: file timestamps (sitemap) are the last commit's. The open-data page's
# "数据更新日期" is the last commit that touched data/ (showcase/sitedir.py), not this.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif
RUN := PYTHONPATH=hooks $(PY)
# The runtime that builds and serves the site: ProperDocs, the maintained continuation of MkDocs 1.x,
# or MkDocs 1.6.1 itself (`make build MKDOCS=mkdocs`). Both are pinned in requirements.txt and
# build the same files (tests/test_runtimes.py; README, "Runtimes"). Exported: `make test` builds
# with it, and compares with the other one.
MKDOCS ?= properdocs
export MKDOCS
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
DEPLOY_TOOLS := $(VENV)/.deploy-installed

.PHONY: help serve serve-public build build-editorial check diff deploy deploy-dry-run test test-fast lint schema bench clean

help:
	@echo "make serve   本地预览编辑版 http://127.0.0.1:8000 ，保存数据文件后自动刷新"
	@echo "make serve-public  本地预览公众版（与发布的网站一致）"
	@echo "make build   构建公众版网站到 site/（--strict），即发布的网站"
	@echo "make build-editorial  构建编辑版到 site-editorial/（含推断标记、依据和待核实清单，不发布）"
	@echo "make check   只校验 data/*.yaml，列出所有问题"
	@echo "make diff    用中文逐条列出数据相对于 origin/main 的变化（BASE=版本名 可换基准）"
	@echo "make deploy  把 site/ 发布到对象存储（设置见 docs/contribute/deploy.md；未设置时什么也不做）"
	@echo "make deploy-dry-run  只列出 make deploy 会上传和删除的文件"
	@echo "make test    运行全部测试（含浏览器测试）"
	@echo "make test-fast  不含浏览器和预览服务器的测试（改代码时随手跑）"
	@echo "make lint    代码检查（ruff）"
	@echo "make schema  由模型重新生成 schema/*.json"
	@echo "make bench   性能基准（不属于 make test）"
	@echo "（以上命令默认用 ProperDocs 构建；加 MKDOCS=mkdocs 改用 MkDocs 1.6.1，两者生成的网站相同）"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV): requirements.txt requirements-dev.txt requirements-deploy.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME) $(DEPLOY_TOOLS) $@

# rclone alone: the deploy job installs nothing else.
$(DEPLOY_TOOLS): requirements-deploy.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-deploy.txt
	touch $@

# The preview is the editorial view (mkdocs-editorial.yml): editors see the marks and reasons
# they are checking. `serve-public` and `build` are what readers get.
serve: $(RUNTIME)
	$(PY) -m $(MKDOCS) serve -f mkdocs-editorial.yml --dev-addr 127.0.0.1:8000 --livereload --dirty

serve-public: $(RUNTIME)
	$(PY) -m $(MKDOCS) serve -f mkdocs.yml --dev-addr 127.0.0.1:8000 --livereload --dirty

build: $(RUNTIME)
	$(PY) -m $(MKDOCS) build --strict -f mkdocs.yml

build-editorial: $(RUNTIME)
	$(PY) -m $(MKDOCS) build --strict -f mkdocs-editorial.yml

check: $(RUNTIME)
	@$(RUN) -m showcase check data

# What the data change says, record by record (the pull-request comment says the same).
BASE ?= origin/main
diff: $(RUNTIME)
	@$(RUN) -m showcase diff "$(BASE)" data

# The built site/ to an S3-compatible bucket, configured by SHOWCASE_S3_* environment variables
# (in GitHub: repository variables and secrets). Build it first for the bucket's address:
# SHOWCASE_SITE_URL=https://... make build. Without the settings it says so and does nothing.
deploy: $(DEPLOY_TOOLS)
	@$(RUN) -m showcase.deploy site

deploy-dry-run: $(DEPLOY_TOOLS)
	@$(RUN) -m showcase.deploy --dry-run site

schema: $(RUNTIME)
	$(RUN) -m showcase schema schema

# Two workers (the machines have two cores); a test file stays on one worker, so its module
# fixtures (a browser, a built site) are made once. The slowest tests are listed at the end.
PYTEST := $(PY) -m pytest -n auto --dist loadfile --durations=15

test: $(DEV)
	$(PYTEST)

# The edit loop: everything but the browser, the preview server and the tests that build whole
# sites of their own (reproducibility, concurrency, property-based builds): under a minute.
test-fast: $(DEV)
	$(PYTEST) -m "not browser and not serve and not slow"

lint: $(DEV)
	$(PY) -m ruff check .

bench: $(DEV)
	$(RUN) bench/run.py

clean:
	rm -rf site site-editorial .site-build-* .pagefind-staging-* .pytest_cache
