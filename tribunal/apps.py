from django.apps import AppConfig


class TribunalConfig(AppConfig):
    name = "tribunal"
    verbose_name = "SEND Tribunal appeals: health's evidence and responses"

    def ready(self):
        from send_portal import to_dos
        from tribunal import dashboard

        to_dos.register(dashboard.to_dos)
