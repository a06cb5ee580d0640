"""The notification centre: the bell, the list, marking read, the API; each user sees only their own."""

from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Notification
from accounts.notifications import notify
from tests.issues.conftest import resolved


def test_the_bell_shows_the_unread_count(ledger, client_for):
    notify(recipient=ledger.officer_a, kind="test", title="第一条")
    notify(recipient=ledger.officer_a, kind="test", title="第二条")
    notify(recipient=ledger.officer_b, kind="test", title="别人的")
    page = client_for(ledger.officer_a).get(reverse("notifications")).content.decode()
    assert (
        'class="position-absolute top-0 start-100 translate-middle badge rounded-pill text-bg-danger unread-count">2<'
        in page
    )
    assert "第一条" in page and "别人的" not in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(ledger, client_for):
    issue = resolved(ledger)
    notification = Notification.objects.get(recipient=ledger.enterprise_user_a, kind="issue_resolved")
    client = client_for(ledger.enterprise_user_a)
    response = client.get(reverse("notification_open", args=[notification.pk]))
    assert response.url == reverse("issues:detail", args=[issue.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    # Someone else's notification is not found, and stays unread.
    other = notify(recipient=ledger.officer_b, kind="test", title="别人的")
    assert client.get(reverse("notification_open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_one_or_all_read(ledger, client_for):
    first = notify(recipient=ledger.officer_a, kind="test", title="一")
    notify(recipient=ledger.officer_a, kind="test", title="二")
    other = notify(recipient=ledger.officer_b, kind="test", title="别人的")
    client = client_for(ledger.officer_a)

    client.post(reverse("notifications_mark_read"), {"id": first.pk})
    assert Notification.objects.filter(recipient=ledger.officer_a, read_at__isnull=True).count() == 1
    client.post(reverse("notifications_mark_read"), {"id": other.pk})  # not mine: nothing happens
    client.post(reverse("notifications_mark_read"))
    assert not Notification.objects.filter(recipient=ledger.officer_a, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_notifications_api(ledger):
    notify(recipient=ledger.officer_a, kind="test", title="一")
    second = notify(recipient=ledger.officer_a, kind="test", title="二")
    notify(recipient=ledger.officer_b, kind="test", title="别人的")
    client = APIClient()
    client.force_authenticate(ledger.officer_a)

    body = client.get("/api/notifications/").json()
    assert [row["title"] for row in body["results"]] == ["二", "一"]
    assert body["unread"] == 2
    marked = client.post("/api/notifications/read/", {"id": second.pk}).json()
    assert marked == {"marked": 1, "unread": 1}
    assert [row["title"] for row in client.get("/api/notifications/", {"unread": "1"}).json()["results"]] == ["一"]
    assert client.post("/api/notifications/read/", {"id": "abc"}).status_code == 400
    assert client.post("/api/notifications/read/", {}).json() == {"marked": 1, "unread": 0}
    assert APIClient().get("/api/notifications/").status_code == 401


def test_email_goes_out_after_commit_for_users_with_an_address(
    ledger, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    from accounts.tasks import send_notification_email

    # Run the queued task in-process instead of on a broker.
    monkeypatch.setattr(send_notification_email, "delay", lambda pk: send_notification_email(pk))
    ledger.enterprise_user_a.email = "boss@example.com"
    ledger.enterprise_user_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        resolved(ledger)
    # Accepted, then resolved: one email each, to the one user with an address.
    assert [message.to for message in mailoutbox] == [["boss@example.com"], ["boss@example.com"]]
    assert "已受理" in mailoutbox[0].subject and "已办结" in mailoutbox[1].subject


def test_marking_one_read_with_htmx_returns_its_row(ledger, client_for):
    notification = notify(recipient=ledger.officer_a, kind="test", title="一条通知")
    response = client_for(ledger.officer_a).post(
        reverse("notifications_mark_read"), {"id": notification.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "一条通知" in response.content.decode() and "标为已读" not in response.content.decode()
    other = notify(recipient=ledger.officer_b, kind="test", title="别人的")
    response = client_for(ledger.officer_a).post(
        reverse("notifications_mark_read"), {"id": other.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


def test_quiet_tells_nobody_and_emails_nothing_then_ends(
    ledger, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    """``quiet()`` is the one switch the demo seeders replay history under: no rows, no email."""
    from accounts.notifications import quiet
    from accounts.tasks import send_notification_email

    monkeypatch.setattr(send_notification_email, "delay", lambda pk: send_notification_email(pk))
    ledger.enterprise_user_a.email = "boss@example.com"
    ledger.enterprise_user_a.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, quiet():
        resolved(ledger)
        assert notify(recipient=ledger.officer_a, kind="test", title="静默") is None
    # Nothing queued for after the commit by the notifications (the ledger's cache generation may be).
    assert [callback for callback in callbacks if callback.__module__.startswith("accounts")] == []
    assert mailoutbox == []
    assert not Notification.objects.exists()
    # Also left by an exception, and only for its own block.
    try:
        with quiet():
            raise RuntimeError
    except RuntimeError:
        pass
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(recipient=ledger.enterprise_user_a, kind="test", title="再次通知") is not None
    assert [message.to for message in mailoutbox] == [["boss@example.com"]]
