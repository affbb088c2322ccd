from django.apps import AppConfig


class LoadDataConfig(AppConfig):
    name = "load_data"
    verbose_name = "Load data and benchmarks"
