from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "intelligence"
    verbose_name = "Intelligence and feedback reports"

    def ready(self):
        from intelligence import dashboard
        from intelligence.report import connect_cache_invalidation
        from send_portal import to_dos

        connect_cache_invalidation()
        to_dos.register(dashboard.to_dos)
