from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "dangjian.assignments"
    label = "assignments"
    nav: list = []
