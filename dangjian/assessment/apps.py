from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    label = "assessment"
    nav: list = []
