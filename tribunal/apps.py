from django.apps import AppConfig


class TribunalConfig(AppConfig):
    name = "tribunal"
    verbose_name = "SEND Tribunal appeals: health's evidence and responses"
