"""The shape of the code, held by tests: what may import what.

- The pure core (commands, the session, the countdown plan) loads no audio,
  terminal or speech library, so it stays fast to import and testable as data;
  nor does reading the command line, which every `coach` command does.
- The voice does not depend on the ears: `voice.speaking` never imports
  `voice.listening` (both meet in `voice.audio`).
- Production code never imports `voice.testing` (test voices, the simulated user).
- No test skips on an import of the project's own code: an import error must fail.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "numpy",
    "sounddevice",
    "pocketsphinx",
    "speech_recognition",
    "rich",
    "pyttsx3",
    "ctranslate2",
    "faster_whisper",
    "onnxruntime",
)


def imports_of(path: Path) -> Iterator[str]:
    """Every module `path` imports, at any depth (lazy imports inside functions too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def heavy_loaded(code: str) -> str:
    """The heavy libraries loaded after running `code` in a fresh interpreter."""
    report = f"; import sys; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    return subprocess.run(
        [sys.executable, "-c", code + report], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()


@pytest.mark.parametrize(
    "module", ["voice.commands", "voice.coaching.session", "voice.coaching.countdown"]
)
def test_the_pure_core_loads_no_audio_or_terminal_library(module: str) -> None:
    loaded = heavy_loaded(f"import {module}")
    assert loaded == "", f"importing {module} loads {loaded}"


def test_reading_the_command_line_loads_no_audio_library() -> None:
    """Every `coach` command builds the whole parser: `coach list` must not pay for
    the audio stack that only `run` and `hear` use."""
    loaded = heavy_loaded("import voice.cli; voice.cli.build_parser()")
    assert loaded == "", f"building the parser loads {loaded}"


def test_speaking_does_not_import_listening() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources("voice.speaking")
        for name in imports_of(path)
        if name.startswith("voice.listening")
    ]
    assert not found


def test_production_code_never_imports_the_testing_package() -> None:
    testing = ROOT / "voice" / "testing"
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources("voice")
        if testing not in path.parents
        for name in imports_of(path)
        if name.startswith("voice.testing")
    ]
    assert not found


def test_no_test_skips_on_an_import_of_the_project() -> None:
    found: list[str] = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "importorskip"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).split(".")[0] in ("voice", "tests")
            ):
                found.append(f"{path.name}:{node.lineno}: {node.args[0].value}")
    assert not found
