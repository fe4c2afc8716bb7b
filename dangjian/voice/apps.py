from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "dangjian.voice"
    label = "voice"
    nav: list = []
