from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dangjian.publishing"
    label = "publishing"
    nav: list = []
