from django.apps import AppConfig


class EthicsConfig(AppConfig):
    name = "dangjian.ethics"
    label = "ethics"
    nav: list = []
