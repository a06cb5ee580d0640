"""Trainings: seats and the waitlist, promotion on cancel, check-in by QR and at the door, scoping."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Notification
from policies.funding.errors import InvalidInput, NotPermitted, StateConflict
from policies.trainings import services
from policies.trainings.models import Registration, RegistrationState
from tests.conftest import login

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
STARTS = datetime.datetime(2026, 11, 10, 14, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def session(cast):
    return services.session_create(
        topic="惠企政策解读专题培训",
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(hours=2),
        place="经开区管委会三楼会议室",
        capacity=2,
        actor=cast.manager,
    )


def register(cast, session, name, phone, *, enterprise=None, actor=None):
    return services.registration_create(
        session=session,
        enterprise=enterprise or cast.enterprise_a,
        attendee_name=name,
        attendee_phone=phone,
        actor=actor or cast.enterprise_user_a,
    )


def states(session):
    return list(Registration.objects.filter(session=session).order_by("id").values_list("attendee_name", "state"))


def test_beyond_capacity_waitlists(cast, session):
    register(cast, session, "张三", "13800000001")
    register(cast, session, "李四", "13800000002", enterprise=cast.enterprise_b, actor=cast.enterprise_user_b)
    register(cast, session, "王五", "13800000003")
    assert states(session) == [("张三", "registered"), ("李四", "registered"), ("王五", "waitlisted")]


def test_cancelling_a_seat_promotes_the_first_waitlisted_in_the_same_transaction(cast, session, frozen):
    first = register(cast, session, "张三", "13800000001")
    register(cast, session, "李四", "13800000002")
    frozen.shift(60)
    register(cast, session, "王五", "13800000003", enterprise=cast.enterprise_b, actor=cast.enterprise_user_b)
    frozen.shift(60)
    register(cast, session, "赵六", "13800000004")
    services.registration_cancel(registration=first, actor=cast.enterprise_user_a)
    assert states(session) == [
        ("张三", "cancelled"),
        ("李四", "registered"),
        ("王五", "registered"),
        ("赵六", "waitlisted"),
    ]
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("ent-b", "training_promoted")]


def test_a_promotion_rolls_back_with_the_cancel(cast, session, monkeypatch):
    first = register(cast, session, "张三", "13800000001")
    register(cast, session, "李四", "13800000002")
    register(cast, session, "王五", "13800000003")

    def broken(*args, **kwargs):
        raise RuntimeError("notification service down")

    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(RuntimeError):
        services.registration_cancel(registration=first, actor=cast.enterprise_user_a)
    assert states(session) == [("张三", "registered"), ("李四", "registered"), ("王五", "waitlisted")]


def test_cancelling_a_waitlisted_one_promotes_nobody(cast, session):
    register(cast, session, "张三", "13800000001")
    register(cast, session, "李四", "13800000002")
    third = register(cast, session, "王五", "13800000003")
    fourth = register(cast, session, "赵六", "13800000004")
    services.registration_cancel(registration=third, actor=cast.enterprise_user_a)
    assert Registration.objects.get(pk=fourth.pk).state == RegistrationState.WAITLISTED


def test_the_same_phone_registers_once(cast, session):
    register(cast, session, "张三", "13800000001")
    with pytest.raises(InvalidInput):
        register(cast, session, "张三", "13800000001")
    assert Registration.objects.count() == 1


def test_another_enterprise_cannot_register_or_cancel_for_mine(cast, session):
    with pytest.raises(NotPermitted):
        register(cast, session, "张三", "13800000001", actor=cast.enterprise_user_b)
    mine = register(cast, session, "张三", "13800000001")
    with pytest.raises(NotPermitted):
        services.registration_cancel(registration=mine, actor=cast.enterprise_user_b)
    assert states(session) == [("张三", "registered")]


# --- check-in ------------------------------------------------------------------------------------


def test_the_qr_page_checks_in_only_the_enterprise_s_registered_attendees(cast, session, frozen):
    mine = register(cast, session, "张三", "13800000001")
    theirs = register(cast, session, "李四", "13800000002", enterprise=cast.enterprise_b, actor=cast.enterprise_user_b)
    frozen.move_to(STARTS - datetime.timedelta(minutes=30))
    client = login(cast.enterprise_user_a)
    url = f"/policies/trainings/checkin/{session.checkin_token}/"
    page = client.get(url)
    assert [item.attendee_name for item in page.context["registrations"]] == ["张三"]
    assert client.post(url, {"registration": theirs.pk}).status_code == 404
    assert Registration.objects.get(pk=theirs.pk).state == RegistrationState.REGISTERED
    assert client.post(url, {"registration": mine.pk}).status_code == 302
    assert Registration.objects.get(pk=mine.pk).state == RegistrationState.ATTENDED


def test_a_waitlisted_attendee_cannot_check_in(cast, session, frozen):
    register(cast, session, "张三", "13800000001")
    register(cast, session, "李四", "13800000002")
    waiting = register(cast, session, "王五", "13800000003")
    frozen.move_to(STARTS)
    with pytest.raises(StateConflict):
        services.registration_check_in(registration=waiting, actor=cast.enterprise_user_a)
    assert Registration.objects.get(pk=waiting.pk).state == RegistrationState.WAITLISTED


def test_check_in_is_refused_outside_the_session_time(cast, session):
    mine = register(cast, session, "张三", "13800000001")
    with pytest.raises(StateConflict, match="签到时间为"):
        services.registration_check_in(registration=mine, actor=cast.enterprise_user_a)
    assert Registration.objects.get(pk=mine.pk).checked_in_at is None


def test_a_wrong_token_is_404(cast, session):
    assert login(cast.enterprise_user_a).get("/policies/trainings/checkin/not-the-token/").status_code == 404


def test_an_anonymous_scan_is_sent_to_sign_in(cast, session):
    from django.test import Client

    response = Client().get(f"/policies/trainings/checkin/{session.checkin_token}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_officer_checks_in_by_name_at_the_door(cast, session, frozen):
    mine = register(cast, session, "张三", "13800000001")
    register(cast, session, "李四", "13800000002")
    frozen.move_to(STARTS)
    client = login(cast.officer_a)
    page = client.get(f"/policies/trainings/{session.pk}/door/?q=张")
    assert [item.attendee_name for item in page.context["registrations"]] == ["张三"]
    client.post(f"/policies/trainings/registrations/{mine.pk}/check-in/")
    assert Registration.objects.get(pk=mine.pk).checked_in_by == cast.officer_a


def test_an_enterprise_cannot_use_the_door_page(cast, session):
    assert login(cast.enterprise_user_a).get(f"/policies/trainings/{session.pk}/door/").status_code == 404


# --- pages, scope and the API ------------------------------------------------------------------------


def test_the_staff_detail_shows_the_qr_code(cast, session):
    register(cast, session, "张三", "13800000001")
    page = login(cast.manager).get(f"/policies/trainings/{session.pk}/")
    assert "<svg" in page.content.decode()
    assert [r.attendee_name for r in page.context["registrations"]] == ["张三"]


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("manager", True),
        ("officer_a", True),
        ("leader_a", True),
        ("enterprise_user_a", True),
        ("officer_b", False),
        ("enterprise_user_b", False),
        ("bureau_user_x", False),
    ],
)
def test_registrations_are_scoped_on_pages_and_api(cast, session, persona, sees):
    mine = register(cast, session, "张三", "13800000001")
    client = login(getattr(cast, persona))
    assert bool(client.get(f"/policies/trainings/{session.pk}/").context["registrations"]) is sees
    assert client.get(f"/api/training-registrations/{mine.pk}/").status_code == (200 if sees else 404)
    assert client.post(f"/policies/trainings/registrations/{mine.pk}/cancel/").status_code == (302 if sees else 404)


def test_the_enterprise_registers_on_the_page(cast, session):
    client = login(cast.enterprise_user_a)
    response = client.post(
        f"/policies/trainings/{session.pk}/register/", {"attendee_name": "张三", "attendee_phone": "13800000001"}
    )
    assert response.status_code == 302
    assert states(session) == [("张三", "registered")]
    bad = client.post(f"/policies/trainings/{session.pk}/register/", {"attendee_name": "李四", "attendee_phone": "123"})
    assert bad.status_code == 400
    assert Registration.objects.count() == 1


def test_the_api_registers_waitlists_and_checks_in(cast, session, frozen):
    client = login(cast.enterprise_user_a)
    for number in range(3):
        response = client.post(
            "/api/training-registrations/",
            {"session": session.pk, "attendee_name": f"参训{number}", "attendee_phone": f"1380000000{number}"},
            content_type="application/json",
        )
        assert response.status_code == 201
    assert response.json()["state"] == "waitlisted"
    bad = client.post(
        "/api/training-registrations/",
        {"session": session.pk, "attendee_name": "x", "attendee_phone": "1", "colour": 1},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"attendee_phone", "colour"}
    frozen.move_to(STARTS)
    client = login(cast.enterprise_user_a)  # a new sign-in: the session of a week ago has expired
    first = Registration.objects.order_by("id").first()
    checked = client.post(f"/api/training-registrations/{first.pk}/check-in/", {}, content_type="application/json")
    assert checked.status_code == 200, checked.content
    assert checked.json()["state"] == "attended"


def test_only_staff_create_sessions_through_the_api(cast):
    body = {
        "topic": "新政解读",
        "starts_at": "2026-12-01T09:00:00+08:00",
        "ends_at": "2026-12-01T11:00:00+08:00",
        "place": "会议室",
        "capacity": 30,
    }
    assert (
        login(cast.enterprise_user_a).post("/api/trainings/", body, content_type="application/json").status_code == 403
    )
    response = login(cast.officer_a).post("/api/trainings/", body, content_type="application/json")
    assert response.status_code == 201
    reversed_times = {**body, "ends_at": "2026-12-01T08:00:00+08:00"}
    assert (
        "ends_at"
        in login(cast.officer_a).post("/api/trainings/", reversed_times, content_type="application/json").json()
    )


def test_the_enterprise_home_shows_attendance(cast, session, frozen):
    mine = register(cast, session, "张三", "13800000001")
    frozen.move_to(STARTS)
    services.registration_check_in(registration=mine, actor=cast.officer_a)
    body = login(cast.enterprise_user_a).get("/my/").content.decode()
    assert "报名 1 人次，已参加 1 人次" in body


def test_the_enterprise_profile_shows_its_attendance_to_those_who_read_it(cast, session, frozen):
    """Given enterprise A with two people registered (one attended) and one cancelled: its profile shows
    报名 2 人次，已参加 1 人次 and the names to the officer of grid A and the manager; enterprise B's
    profile shows none of A's people, and the officer of grid B does not find A's profile."""
    attended = register(cast, session, "张三", "13800000001")
    register(cast, session, "李四", "13800000002")
    services.registration_cancel(
        registration=register(cast, session, "王五", "13800000003"), actor=cast.enterprise_user_a
    )
    frozen.move_to(STARTS)
    services.registration_check_in(registration=attended, actor=cast.officer_a)

    for persona in ("officer_a", "manager"):
        body = login(getattr(cast, persona)).get(f"/enterprises/{cast.enterprise_a.pk}/").content.decode()
        assert "报名 2 人次，已参加 1 人次" in body, persona
        assert "张三" in body and "惠企政策解读专题培训" in body
    other = login(cast.officer_b).get(f"/enterprises/{cast.enterprise_b.pk}/").content.decode()
    assert "报名 0 人次，已参加 0 人次" in other and "张三" not in other
    assert login(cast.officer_b).get(f"/enterprises/{cast.enterprise_a.pk}/").status_code == 404
