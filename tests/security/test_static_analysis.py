"""Item 14: bandit runs in ``make lint`` (which ``.ci/run`` calls) and fails on a medium or high
finding; a finding is silenced only with its reason written beside it (``# nosec BXXX  # why``)."""

import os
import re
from pathlib import Path

from django.conf import settings

NOT_SHIPPED = {"tests", ".venv", "var", "migrations", "node_modules"}
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
EXPLAINED = re.compile(r"^\s*B\d{3}(\s*,\s*B\d{3})*\s*(#|:|—|-)\s*\S.{5,}")


def shipped_python_files() -> list[Path]:
    """Our .py files, without descending into what is not shipped (the virtualenv is large)."""
    found = []
    for folder, subfolders, names in os.walk(settings.BASE_DIR):
        subfolders[:] = [name for name in subfolders if name not in NOT_SHIPPED and not name.startswith(".")]
        found.extend(Path(folder) / name for name in names if name.endswith(".py"))
    return found


def test_make_lint_runs_bandit_on_medium_and_high_findings_and_ci_runs_make_lint():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    lint = makefile[makefile.index("\nlint:") : makefile.index("\n\n", makefile.index("\nlint:"))]
    assert "$(BIN)/bandit -c pyproject.toml -r . --quiet --severity-level medium" in lint
    assert "\nmake lint\n" in (settings.BASE_DIR / ".ci" / "run").read_text()


def test_every_silenced_finding_names_the_check_and_says_why():
    unexplained = []
    for path in shipped_python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = NOSEC.search(line)
            if found and not EXPLAINED.match(found.group("rest")):
                unexplained.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert unexplained == []
