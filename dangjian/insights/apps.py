from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "dangjian.insights"
    label = "insights"
    nav: list = []
