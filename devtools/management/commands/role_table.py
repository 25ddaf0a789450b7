from django.core.management.base import BaseCommand

from devtools import roletable


class Command(BaseCommand):
    help = "Print README's admin role table, read off the admin as each staff role."

    def handle(self, *args, **options):
        self.stdout.write(roletable.markdown())
