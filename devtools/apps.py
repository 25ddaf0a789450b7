from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data, the data generator and the benchmarks: installed in the embedded mode, in the
    tests and for benchmarks (PORTAL_DEVTOOLS=true), never in a production deployment otherwise.
    It sits above every other app and nothing imports it."""

    name = "devtools"
    verbose_name = "Developer tools"
