"""Every external command the project's scripts call is installed by a fresh machine or by the project itself
(issue 13). Two checks: a scan of the shell scripts, the Makefile and the workflows' run steps against
tools/scripts/external-commands.txt, and the narrow PATH that `make test` runs in (tools/scripts/path_jail.py)."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "scripts"))
import path_jail  # noqa: E402  pylint: disable=wrong-import-position

SOURCES = {"debian-base", "bootstrap", "browser-deps"}
BUILTINS = set(
    "alias bg bind break builtin case cd command compgen complete continue declare dirs disown do done echo elif "
    "else enable esac eval exec exit export false fc fg fi for function getopts hash help history if in jobs kill "
    "let local logout mapfile popd printf pushd pwd read readarray readonly return select set shift shopt source "
    "suspend test then time times trap true type typeset ulimit umask unalias unset until wait while [ [[ ] ]] { } ! "
    ": .".split())
SEPARATORS = {"|", "||", "&&", ";", "&", "(", ")", "{", "}", "!", "then", "do", "else", "elif", "if", "while",
              "until", "time", ";;", "|&"}
WRAPPERS = {"env", "exec", "xargs", "sudo", "nohup"}  # commands that run the command named after their options
HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")


def shell_lines(text: str) -> list[str]:
    """The script's lines, without comments, heredoc bodies and line continuations."""
    lines: list[str] = []
    end_marker = None
    for raw in text.replace("\\\n", " ").splitlines():
        if end_marker is not None:
            end_marker = None if raw.strip() == end_marker else end_marker
            continue
        line = re.sub(r"(^|\s)#.*$", "", raw)
        heredoc = HEREDOC.search(line)
        if heredoc:
            end_marker = heredoc.group(1)
        lines.append(line)
    return lines


def substitutions(line: str) -> tuple[str, list[str]]:
    """The line with each $( ... ) replaced by a word, and the text of each (commands run there too).
    Arithmetic $(( ... )) runs nothing."""
    found: list[str] = []
    while (start := line.find("$(")) >= 0:
        depth, index = 1, start + 2
        while index < len(line) and depth:
            depth += {"(": 1, ")": -1}.get(line[index], 0)
            index += 1
        inner = line[start + 2:index - 1] if depth == 0 else line[start + 2:]
        if not inner.startswith("("):
            found.append(inner)
        line = line[:start] + "SUBSTITUTION" + line[index:]
    return line, found


def first_words(line: str) -> list[str]:
    """The words in command position of one line: what the shell looks up on PATH."""
    line = re.sub(r"\$\{[^}]*\}", "PARAMETER", re.sub(r"\b(\w+)\+?=\([^)]*\)", r"\1=ARRAY", line))
    try:
        tokens = list(shlex.shlex(line, posix=True, punctuation_chars=True))
    except ValueError:
        tokens = line.split()
    words, expecting = [], True
    for token in tokens:
        if token in SEPARATORS:
            expecting = True
        elif expecting and re.match(r"^\w+\+?=", token):  # VAR=value command
            continue
        elif expecting:
            words.append(token)
            expecting = token in WRAPPERS
        elif words and words[-1] in WRAPPERS and token.startswith("-"):
            expecting = True
    return words


def command_words(text: str) -> set[str]:
    """The external commands a shell script runs (not builtins, keywords or its own functions)."""
    functions = set(re.findall(r"^\s*(?:function\s+)?([\w-]+)\s*\(\)", text, re.MULTILINE))
    words: set[str] = set()
    pending = shell_lines(text)
    while pending:
        line, inner = substitutions(pending.pop())
        pending += inner
        words |= {w for w in first_words(line) if re.fullmatch(r"[A-Za-z][\w.+-]*", w)}
    return words - BUILTINS - functions - {"SUBSTITUTION", "PARAMETER"}


def shell_scripts() -> dict[str, str]:
    scripts = {}
    for path in [*sorted((ROOT / "tools" / "scripts").iterdir()), ROOT / ".ci" / "run"]:
        text = path.read_text(encoding="utf-8")
        if path.is_file() and text.startswith("#!") and "bash" in text.splitlines()[0]:
            scripts[str(path.relative_to(ROOT))] = text
    return scripts


def makefile_recipes() -> str:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    recipes = [line.strip().lstrip("@-") for line in lines if line.startswith("\t")]
    return "\n".join(re.sub(r"\$\((\w+)\)", r"$\1", line) for line in recipes)


def workflow_runs() -> dict[str, str]:
    runs = {}
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job.get("steps", []):
                if "run" in step:
                    runs[f"{path.name}: {step.get('name', step['run'][:30])}"] = step["run"]
    return runs


def python_calls() -> dict[str, set[str]]:
    """Commands that the project's Python starts by name: subprocess.run(["node", ...])."""
    calls = {}
    for folder in ("tests", "tools", "extensions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            found = set(re.findall(r"subprocess\.\w+\(\s*\[\s*[\"']([\w.+-]+)[\"']", path.read_text(encoding="utf-8")))
            if found:
                calls[str(path.relative_to(ROOT))] = found
    return calls


def venv_tools() -> set[str]:
    """Console scripts of the pinned Python packages (installed by tools/scripts/bootstrap into .venv/bin)."""
    return {p.name for p in (ROOT / ".venv" / "bin").iterdir()} if (ROOT / ".venv" / "bin").is_dir() else set()


def test_the_list_names_a_source_for_each_command() -> None:
    listed = path_jail.allowed()
    assert listed, "tools/scripts/external-commands.txt is empty"
    assert set(listed.values()) <= SOURCES
    assert "rsync" not in listed  # not in a fresh image, and nothing installs it


def test_the_scanner_finds_commands_after_pipes_and_substitutions() -> None:
    script = "#!/bin/bash\nx=$(rsync -a a b | sort)\n# curl in a comment\ncat <<'EOF'\nwget\nEOF\nf() { :; }\nf && tr a b\n"
    assert command_words(script) == {"rsync", "sort", "cat", "tr"}


COMMANDS = {**{name: command_words(text) for name, text in shell_scripts().items()},
            "Makefile": command_words(makefile_recipes()),
            **{name: command_words(text) for name, text in workflow_runs().items()}, **python_calls()}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_installed_by_a_fresh_machine_or_the_project(name: str) -> None:
    known = set(path_jail.allowed()) | venv_tools()
    unknown = sorted(COMMANDS[name] - known)
    assert not unknown, f"{name} calls {unknown}: add each to tools/scripts/external-commands.txt with where it comes " \
                        "from (a fresh image's base tools, tools/scripts/bootstrap or tools/scripts/install-browser-deps)"


def test_the_narrow_path_holds_listed_commands_only(tmp_path: Path) -> None:
    jail = tmp_path / "jail"
    path_jail.build(jail)
    present = {p.name for p in jail.iterdir()}
    assert present <= set(path_jail.allowed())
    assert {"bash", "git", "make", "python3"} <= present
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}:{jail}"}
    done = subprocess.run(["bash", "-c", "command -v rsync || echo absent"], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "absent"
    done = subprocess.run([str(ROOT / "tools" / "scripts" / "emulator"), "status", "--port", "1"], env=env,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (3, "not running"), done.stderr
