"""Bootstrap Icons (``<i class="bi ...">``) are decoration beside text: each is hidden from screen
readers (aria-hidden) or, where it is a control's only content, carries its own label (aria-label).
A control whose only content is a hidden icon names itself with a visually-hidden span instead."""

import re
from pathlib import Path

from django.conf import settings

# Directories allowed icons without a text alternative, each with its reason: none. The last
# test fails when an entry is no longer needed, so the list cannot go stale.
ALLOWED: dict[str, str] = {}

# An <i> opening tag; a template tag inside it ({% if %}…{% endif %}, {{ … }}) may contain ">".
I_TAG = re.compile(r"<i\b(?:\{[%{#].*?[%}#]\}|[^>])*>", re.S)
BI_CLASS = re.compile(r"""\bclass\s*=\s*["'](?:[^"']*\s)?bi(?:\s|["'])""")
LABELLED = re.compile(r"\baria-(?:hidden|label)\s*=")


def template_roots() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    base = Path(settings.BASE_DIR)
    roots += [p for p in base.glob("*/templates") if p.is_dir() and ".venv" not in p.parts]
    return roots


def unlabelled_icons(roots: list[Path]) -> dict[str, list[str]]:
    """``{top-level directory: ["path:line <i …>"]}`` for each bi icon without aria-hidden/aria-label."""
    found: dict[str, list[str]] = {}
    for root in roots:
        for path in sorted(root.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            for match in I_TAG.finditer(text):
                tag = match.group(0)
                if BI_CLASS.search(tag) and not LABELLED.search(tag):
                    line = text.count("\n", 0, match.start()) + 1
                    top = path.relative_to(root).parts[0]
                    found.setdefault(top, []).append(f"{path}:{line} {tag}")
    return found


def test_the_scanner_finds_an_unlabelled_icon_and_accepts_labelled_ones(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "page.html").write_text(
        '<i class="bi bi-check" aria-hidden="true"></i>\n'
        '<a href="#"><i class="bi bi-x" aria-label="关闭"></i></a>\n'
        '<i class="biscuit"></i>\n'
        '<i class="me-1 bi {% if x %}bi-a{% else %}bi-b{% endif %}"></i>\n',
        encoding="utf-8",
    )

    found = unlabelled_icons([tmp_path])

    assert list(found) == ["demo"]
    [only] = found["demo"]
    assert ":4 " in only and "bi-a" in only


def test_every_icon_in_the_templates_is_hidden_or_labelled():
    found = unlabelled_icons(template_roots())
    offending = {top: icons for top, icons in found.items() if top not in ALLOWED}

    assert not offending, "icons without aria-hidden or aria-label:\n" + "\n".join(
        icon for icons in offending.values() for icon in icons
    )


def test_the_allow_list_names_only_directories_that_still_need_it():
    found = unlabelled_icons(template_roots())

    stale = sorted(top for top in ALLOWED if top not in found)
    assert not stale, f"their icons are all hidden or labelled now: remove {stale} from ALLOWED"
