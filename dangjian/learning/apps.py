from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    label = "learning"
    nav: list = []
