from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    verbose_name = "EHC plans and health advice"

    def ready(self):
        from ehcp import dashboard
        from send_portal import to_dos

        to_dos.register(dashboard.to_dos)
