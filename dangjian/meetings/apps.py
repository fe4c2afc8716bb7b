from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    label = "meetings"
    nav: list = []
