"""The officer's visit form without signal: the service worker that keeps the form and its
assets on the phone, and the words the page's queue shows (fieldwork/visit-queue.js).

The service worker is a template rendered at the site root (``/sw.js``, so that its scope
is the whole site: it sees the sign-in page and drops the kept pages there). It is a
script file like any other under the Content-Security-Policy; the page registers it from
static JavaScript, never from an inline script.
"""

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# What the visit form needs to open with no network, kept when the service worker installs.
OFFLINE_ASSETS = (
    "favicon.svg",
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "css/portal.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/portal.js",
    "fieldwork/fieldwork.css",
    "fieldwork/visit-form.js",
    "fieldwork/visit-queue.js",
)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    assets = [static(name) for name in OFFLINE_ASSETS]
    # A new release (new hashed names) is a new cache; the old one is dropped on activation.
    version = hashlib.sha256("\n".join(assets).encode()).hexdigest()[:12]
    script = render_to_string("fieldwork/sw.js", {"assets_json": json.dumps(assets), "version": version})
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # Browsers look for a new worker on each visit; never let a cache keep an old one.
    response["Cache-Control"] = "no-cache"
    return response


def visit_queue_strings() -> dict[str, str]:
    """The queue's words in the page's language, rendered as a JSON catalogue (json_script)."""
    return {
        "offline": _("当前没有网络：提交的走访会先保存在本机，联网后自动发送。"),
        "saved": _("已保存在本机，联网后自动发送。"),
        "waiting": _("待发送"),
        "sending": _("正在发送…"),
        "sent": _("已发送"),
        "replayed": _("已发送（此前已登记）"),
        "failed": _("未能发送，请核对后重新登记："),
        "signin": _("登录已过期：请重新登录，登录后自动发送。"),
        "open": _("查看"),
        "remove": _("删除"),
        "removeConfirm": _("确定删除这条尚未发送的走访吗？删除后无法恢复。"),
        "problems": _("问题 %(count)s 个"),
        "files": _("附件 %(count)s 个"),
        "unsupported": _("此浏览器无法在本机保存走访，请联网后提交。"),
    }
