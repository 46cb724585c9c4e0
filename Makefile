# The two set-up commands: `make deploy` (stack on the local emulator) and `make test` (every check).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/$(VENV)/collections
EMULATOR_PORT ?= 4599
export EMULATOR_PORT
SANITY_ROOT := $(CURDIR)/build/sanity/ansible_collections/cloudresume/aws

.PHONY: venv deploy emulator-start emulator-stop emulator-reset teardown test lint sanity unit molecule integration targets e2e clean

venv:
	@scripts/bootstrap

emulator-start: venv
	@scripts/emulator start --port $(EMULATOR_PORT)

emulator-stop:
	@scripts/emulator stop --port $(EMULATOR_PORT)

emulator-reset: emulator-start
	@scripts/emulator reset --port $(EMULATOR_PORT)

deploy: emulator-start
	$(BIN)/ansible-playbook site.yml -i inventories/local
	@scripts/preview start
	@echo "Preview (the deployed site and API, served from the emulator's configuration): http://127.0.0.1:4621/"

teardown: emulator-start
	$(BIN)/ansible-playbook playbooks/teardown.yml -i inventories/local

test:
	@scripts/run-tests

lint: venv
	$(BIN)/yamllint -s .
	$(BIN)/antsibull-changelog lint
	rm -rf $(HOME)/.ansible/collections/ansible_collections/cloudresume  # a stale installed copy would shadow the checkout
	$(BIN)/ansible-lint

sanity: venv
	@scripts/sanity

unit: venv
	$(BIN)/python -m pytest -n 2 --dist loadfile tests/unit

molecule: venv
	@scripts/molecule-all

integration: venv
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=12 tests/integration

targets: venv
	@scripts/ansible-test-integration

e2e: venv
	@scripts/install-browser-deps
	$(BIN)/python -m pytest -s tests/e2e

clean: emulator-stop
	-@scripts/preview stop
	rm -rf build
