"""The generated references (docs/role-variables.md, docs/modules/<module>.md) are current and complete."""
from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def generator():
    loader = importlib.machinery.SourceFileLoader("gen_docs", str(ROOT / "tools" / "scripts" / "gen-docs"))
    spec = importlib.util.spec_from_loader("gen_docs", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_committed_references_are_current() -> None:
    for path, content in generator().outputs().items():
        assert path.exists() and path.read_text() == content, (
            f"{path.relative_to(ROOT)} is out of date: run tools/scripts/gen-docs")


def test_every_module_has_a_page_listed_in_the_index() -> None:
    index = (ROOT / "docs" / "modules" / "README.md").read_text()
    for module in (ROOT / "plugins" / "modules").glob("*.py"):
        page = generator().module_page(module)
        assert f"`cloudresume.aws.{module.stem}`" in page
        assert f"]({module.stem}.md)" in index, f"docs/modules/README.md does not say why {module.stem} exists"


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
    assert gen.text("RV(api.id), B(never), M(amazon.aws.lambda), L(AWS,https://aws.amazon.com)") == (
        "`api.id`, **never**, `amazon.aws.lambda`, [AWS](https://aws.amazon.com)")
    assert gen.default({"required": True}) == "**required**"
    assert gen.default({"default": {"a": 1}}) == "`{a: 1}`"
    assert gen.kind({"type": "list", "elements": "str", "choices": ["a"]}) == "list of str (`a`)"
