from django.urls import path

from . import surveys, views

app_name = "portal"
urlpatterns = [
    path("", surveys.HomeWithSurveysView.as_view(), name="home"),
    path("new/", views.TicketAddView.as_view(), name="ticket_add"),
    path("tickets/<int:pk>/", views.TicketView.as_view(), name="ticket"),
    path("tickets/<int:pk>/rate/", views.TicketRateView.as_view(), name="ticket_rate"),
    path("surveys/<int:pk>/", surveys.SurveyAnswerView.as_view(), name="survey_answer"),
]
