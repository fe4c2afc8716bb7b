from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "dangjian.ledgers"
    label = "ledgers"
    nav: list = []
