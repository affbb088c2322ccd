from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Social Communication Clinic and appointments"

    def ready(self):
        from clinics import dashboard
        from send_portal import to_dos

        to_dos.register(dashboard.to_dos)
