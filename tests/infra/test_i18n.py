"""Chinese first, English available: the compiled catalogue is committed,
complete and in step with its source, and the language switch works."""

import gettext as gettext_module
import re

from django.conf import settings
from django.utils import translation

LOCALE_DIR = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"


def po_entries() -> list[dict]:
    """The entries of the English .po: msgid, msgstr (or plural forms) and flags."""
    entries, current, field = [], None, None
    for line in (LOCALE_DIR / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and "msgid" in current:
                entries.append(current)
            current, field = None, None
            continue
        current = current if current is not None else {"flags": set()}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
            if match:
                field = match.group(1)
                current[field] = ""
                line = match.group(2)
            current[field] += line[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return [entry for entry in entries if entry["msgid"]]


def test_the_catalogue_is_complete_with_no_fuzzy_entries():
    entries = po_entries()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_its_source():
    with open(LOCALE_DIR / "django.mo", "rb") as compiled:
        catalog = gettext_module.GNUTranslations(compiled)._catalog
    for entry in po_entries():
        if not (entry.get("msgstr") or entry.get("msgstr[0]")):
            continue  # untranslated: the test above reports it
        # A message with a context is stored under "context\x04message".
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            assert catalog[(key, 0)] == entry["msgstr[0]"]
            assert catalog[(key, 1)] == entry["msgstr[1]"]
        else:
            assert catalog.get(key) == entry["msgstr"], entry["msgid"]


def test_labels_read_in_english_when_english_is_chosen():
    with translation.override("en"):
        assert translation.gettext("网格工作组") == "Grid team"
        assert translation.gettext("统一社会信用代码") == "Unified social credit code"
    with translation.override("zh-hans"):
        assert translation.gettext("网格工作组") == "网格工作组"


def test_pages_are_chinese_by_default_and_english_after_switching(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "Sign in" in page


def test_the_browser_language_is_honoured(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Sign in" in page
