"""Pages of emergency: the incident list, declaring, the roll-call board, reports, calls, closing,
and the enterprise's own acknowledgement link."""

from django.urls import path

from emergency import views

app_name = "emergency"

urlpatterns = [
    path("", views.incident_list_view, name="list"),
    path("new/", views.declare_view, name="declare"),
    path("<int:pk>/", views.board_view, name="board"),
    path("<int:pk>/timeline/", views.timeline_view, name="timeline"),
    path("<int:pk>/close/", views.close_view, name="close"),
    path("<int:pk>/acknowledge/", views.acknowledge_view, name="acknowledge"),
    path("<int:pk>/rows/<int:row>/", views.row_view, name="row"),
    path("<int:pk>/rows/<int:row>/call/", views.call_view, name="call"),
    path("<int:pk>/rows/<int:row>/relief/", views.relief_view, name="relief"),
    path("ack/<slug:token>/", views.ack_link_view, name="ack"),
]
