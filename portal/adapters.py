from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Send allauth's emails (verification, reset…) through the portal's Celery task, in the
        language of the page the user is on."""
        with translation.override(translation.get_language()):
            message = self.render_mail(template_prefix, email, context)
        html = next(
            (c for c, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
        )
        for recipient in message.to:
            queue_email(
                recipient=recipient, subject=message.subject, body=message.body, html_body=html
            )

    def save_user(self, request, user, form, commit=True):
        # A new account takes the language the person signed up in.
        user.language = (translation.get_language() or "en")[:2]
        return super().save_user(request, user, form, commit=commit)
