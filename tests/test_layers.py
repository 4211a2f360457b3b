"""The house stays layered: kernel < ingest < vectorstore < assistant < shell (DEVELOPERS.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return contract["layers"]


def test_every_import_goes_down_the_layers():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is not installed (pip install -e '.[dev]')"
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_shell_module_is_named_in_the_contract():
    # A module added to casefile/ outside the kernel must be placed in the shell layer,
    # or the layers contract would not see it.
    layers = _layers()
    above = layers[: layers.index("assistant")]
    shell = {name.strip() for layer in above for name in layer.split(":")}
    modules = {
        f"casefile.{path.stem}"
        for path in (ROOT / "casefile").iterdir()
        if path.name != "__init__.py" and (path.suffix == ".py" or (path / "__init__.py").exists())
    }
    assert modules - {"casefile.kernel"} <= shell, sorted(modules - shell - {"casefile.kernel"})


def test_the_kernel_imports_no_other_first_party_code():
    first_party = ("casefile.", "ingest", "vectorstore", "assistant", "bench", "training")
    for path in (ROOT / "casefile" / "kernel").glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from"):
                target = words[1]
                assert not target.startswith(first_party) or target.startswith("casefile.kernel"), (
                    f"{path.name}: {line.strip()}"
                )
