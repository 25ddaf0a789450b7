from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .links import configured_site, on_site
from .middleware import speak_users_language
from .services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Send allauth's emails (verification, reset…) through the portal's Celery task, in the
        language of the page the user is on, naming the portal as configured."""
        with translation.override(translation.get_language()):
            context = {**context, "current_site": configured_site()}
            message = self.render_mail(template_prefix, email, context)
        html = next(
            (c for c, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
        )
        for recipient in message.to:
            queue_email(
                recipient=recipient, subject=message.subject, body=message.body, html_body=html
            )

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return on_site(super().get_reset_password_from_key_url(key))

    def save_user(self, request, user, form, commit=True):
        # A new account takes the language the person signed up in.
        user.language = (translation.get_language() or "en")[:2]
        return super().save_user(request, user, form, commit=commit)

    def post_login(self, request, user, **kwargs):
        # allauth writes "Successfully signed in as …" now, for the next page: in the language
        # that page will speak (the user's), not in that of the login page (English for a French
        # user whose browser asks for English).
        speak_users_language(request, user)
        return super().post_login(request, user, **kwargs)
