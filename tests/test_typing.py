"""The public API is typed: mypy --strict (settings in pyproject.toml) passes on the package."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_package_is_mypy_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "zhenv_parse"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
