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
	@tools/scripts/bootstrap

emulator-start: venv
	@tools/scripts/emulator start --port $(EMULATOR_PORT)

emulator-stop:
	@tools/scripts/emulator stop --port $(EMULATOR_PORT)

emulator-reset: emulator-start
	@tools/scripts/emulator reset --port $(EMULATOR_PORT)

deploy: emulator-start
	$(BIN)/ansible-playbook site.yml -i inventories/local
	@tools/scripts/preview start
	@echo "Preview (the deployed site and API, served from the emulator's configuration): http://127.0.0.1:4621/"

teardown: emulator-start
	$(BIN)/ansible-playbook playbooks/teardown.yml -i inventories/local

test:
	@tools/scripts/run-tests

lint: venv
	$(BIN)/yamllint -s .
	$(BIN)/antsibull-changelog lint
	ANSIBLE_HOME=$(CURDIR)/build/ansible-home $(BIN)/ansible-lint  # never the user's ~/.ansible: an installed copy there would shadow the checkout

sanity: venv
	@tools/scripts/sanity

unit: venv
	$(BIN)/python -m pytest -n 2 --dist loadfile tests/unit

molecule: venv
	@tools/scripts/molecule-all

integration: venv
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=20 tests/integration

targets: venv
	@tools/scripts/ansible-test-integration

e2e: venv
	@tools/scripts/install-browser-deps
	$(BIN)/python -m pytest -s tests/e2e

clean: emulator-stop
	-@tools/scripts/preview stop
	rm -rf build
