"""docs/role-variables.md is generated from every roles/*/meta/argument_specs.yml and must be current."""
from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def generator():
    loader = importlib.machinery.SourceFileLoader("gen_role_docs", str(ROOT / "tools" / "scripts" / "gen-role-docs"))
    spec = importlib.util.spec_from_loader("gen_role_docs", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_committed_reference_is_current() -> None:
    assert (ROOT / "docs" / "role-variables.md").read_text() == generator().render(), (
        "docs/role-variables.md is out of date: run tools/scripts/gen-role-docs")


def test_every_role_and_variable_is_documented() -> None:
    rendered = generator().render()
    for spec_file in ROOT.glob("roles/*/meta/argument_specs.yml"):
        assert f"## {spec_file.parent.parent.name}" in rendered
        for entry in yaml.safe_load(spec_file.read_text())["argument_specs"].values():
            for name in entry.get("options") or {}:
                assert f"| `{name}` |" in rendered, name


def test_markup_and_defaults_are_rendered() -> None:
    gen = generator()
    assert gen.text(["Use C(x) with O(y=1).", "E(AWS_REGION) | pipe"]) == "Use `x` with `y=1`. `AWS_REGION` \\| pipe"
    assert gen.default({"required": True}) == "**required**"
    assert gen.default({"default": {"a": 1}}) == "`{a: 1}`"
    assert gen.kind({"type": "list", "elements": "str", "choices": ["a"]}) == "list of str (`a`)"
