from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "dangjian.care"
    label = "care"
    nav: list = []
