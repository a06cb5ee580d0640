"""Screenshots of each role's home and main pages: `make screenshots` → docs/screenshots/*.png.

Builds the demo zone in its own SQLite database (var/screenshots/, kept between runs: the
seed is idempotent and the second run is quick), serves it with DEBUG on (the demo accounts
keep their published password) and drives Debian's Chromium through Playwright: desktop
pages at 1280 px wide, the officer's and the enterprise's pages also on a 375 px phone.
Only the visible window is taken (a dashboard down to its first charts), and each picture is
reduced to a 256-colour palette (Pillow's fast octree keeps the charts' colours), so each file
stays under about 100 KB.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DATABASE = ROOT / "var" / "screenshots" / "db.sqlite3"
PASSWORD = "jingkai-demo"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
DEBIAN_ZH_CN = Path("/usr/lib/chromium/locales/zh-CN.pak")  # from the chromium-l10n package


@dataclass(frozen=True)
class Shot:
    name: str
    user: str | None  # None: signed out
    path: str
    phone: bool = False
    wait_for: str = "main"
    height: int = 0  # taller than the window (a dashboard down to its first charts)


SHOTS = [
    Shot("login", None, "/accounts/login/"),
    Shot("manager-dashboard", "manager", "/analytics/", wait_for="[data-chart] svg", height=1500),
    Shot("manager-ledger", "manager", "/issues/"),
    Shot("manager-enterprises", "manager", "/enterprises/"),
    Shot("manager-policies", "manager", "/policies/"),
    Shot("manager-emergency", "manager", "{incident}"),
    Shot("district-dashboard", "district-1", "/analytics/district/", wait_for="[data-chart] svg", height=1500),
    Shot("officer-home-phone", "officer-01", "/fieldwork/", phone=True),
    Shot("officer-visit-form-phone", "officer-01", "{visit_form}", phone=True),
    Shot("officer-ledger", "officer-01", "/issues/"),
    Shot("bureau-workbench", "bureau-finance", "/issues/workbench/"),
    Shot("enterprise-home", "enterprise-001", "/my/"),
    Shot("enterprise-home-phone", "enterprise-001", "/my/", phone=True),
    Shot("enterprise-issues", "enterprise-001", "/issues/mine/"),
    Shot("admin-home", "admin", "/admin/"),
    Shot("notice-board-phone", None, "{board}", phone=True),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "DEBUG": "1",
        "REDIS_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "DJANGO_SETTINGS_MODULE": "jingkai_portal.settings",
    }


def manage(*arguments: str) -> str:
    command = [sys.executable, "manage.py", *arguments]
    print("screenshots:", " ".join(arguments), flush=True)
    done = subprocess.run(command, cwd=ROOT, env=environment(), check=True, capture_output=True, text=True)
    return done.stdout


def demo_addresses() -> dict:
    """The visit form of enterprise-001 (officer-01's), its notice board, the demo's incident."""
    script = (
        "from accounts.models import User; "
        "e = User.objects.get(username='enterprise-001').enterprise; "
        "print(e.pk); print(e.board_token); "
        "from emergency.models import Incident; print(Incident.objects.order_by('pk').first().pk)"
    )
    pk, token, incident = manage("shell", "--no-imports", "-c", script).split()[-3:]
    return {
        "visit_form": f"/fieldwork/enterprises/{pk}/visits/new/",
        "board": f"/board/{token}/",
        "incident": f"/emergency/{incident}/",
    }


def wait_until_serving(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the development server stopped")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # nosec B310  # our own loopback server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the development server did not answer within a minute")


def shrink(path: Path) -> None:
    """Rewrite a screenshot with a 256-colour palette: about a third of the size, text still crisp."""
    from PIL import Image

    with Image.open(path) as picture:
        reduced = picture.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
    reduced.save(path, "PNG", optimize=True)


def take(url: str, addresses: dict) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if chromium == "/usr/bin/chromium" and not DEBIAN_ZH_CN.exists():
        raise SystemExit("Chromium lacks zh-CN (date fields would read 12/07/2026): apt-get install chromium-l10n")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # Dates and months in the form fields follow the browser's own language, taken from LANGUAGE
        # (and Debian's chromium-l10n must be installed): 2026/12/07, 2026年12月 (tests/conftest.py).
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=zh-CN"],
            env={**os.environ, "LANGUAGE": "zh_CN:zh", "LC_CTYPE": "C.UTF-8"},
        )
        contexts: dict = {}
        try:
            for shot in SHOTS:
                key = (shot.user, shot.phone)
                if key not in contexts:
                    options = {"viewport": PHONE, "is_mobile": True} if shot.phone else {"viewport": DESKTOP}
                    context = browser.new_context(
                        locale="zh-CN", timezone_id="Asia/Shanghai", device_scale_factor=1, **options
                    )
                    if shot.user:
                        page = context.new_page()
                        page.goto(f"{url}/accounts/login/")
                        page.fill("input[name=username]", shot.user)
                        page.fill("input[name=password]", PASSWORD)
                        page.click("button[type=submit]")
                        page.wait_for_load_state("networkidle")
                        page.close()
                    contexts[key] = context
                page = contexts[key].new_page()
                response = page.goto(url + shot.path.format(**addresses))
                if response is None or response.status != 200:
                    raise SystemExit(f"{shot.name}: {shot.path} answered {response and response.status}")
                page.wait_for_selector(shot.wait_for)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1200 if "svg" in shot.wait_for else 200)  # the charts' entrance animation
                target = OUT / f"{shot.name}.png"
                if shot.height:
                    clip = {"x": 0, "y": 0, "width": DESKTOP["width"], "height": shot.height}
                    page.screenshot(path=str(target), full_page=True, clip=clip)
                else:
                    page.screenshot(path=str(target), full_page=False)
                shrink(target)
                print(f"screenshots: {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)", flush=True)
                page.close()
        finally:
            browser.close()


def main() -> int:
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("seed_demo")
    addresses = demo_addresses()
    port = free_port()
    server = subprocess.Popen(  # nosec B603  # a fixed command on loopback
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url, server)
        take(url, addresses)
    finally:
        server.terminate()
        server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
