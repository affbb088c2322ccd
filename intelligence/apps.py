from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "intelligence"
    verbose_name = "Intelligence and feedback reports"

    def ready(self):
        from intelligence.report import connect_cache_invalidation

        connect_cache_invalidation()
