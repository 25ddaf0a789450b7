import logging
import re

# Reset and verification links carry tokens; addresses are personal data.
_QUERY = re.compile(r"\?\S*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_KEY_PATH = re.compile(r"(/(?:password/reset/key|confirm-email)/)[^\s/]+")


class ScrubFilter(logging.Filter):
    """Remove query strings, reset keys and email addresses from log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _KEY_PATH.sub(r"\1[key]", _EMAIL.sub("[email]", _QUERY.sub("?[…]", message)))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
