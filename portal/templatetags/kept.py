"""``{% kept %}…{% endkept %}``: a part of a page that is the same for every reader of a language
(headings, explanations, buttons, links without parameters from the request), rendered once per
process and language instead of on every request: some twenty ``{% translate %}`` tags of the
expert's profile, each a few dozen calls.

What is between is rendered without the page's variables (an empty context): a variable there is
empty and ``{% csrf_token %}`` writes nothing, so nothing of one reader can be kept and shown to
another. Each tag keeps its own text, for as long as its compiled template lives.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.texts: dict[str | None, str] = {}  # language -> the text

    def render(self, context):
        language = get_language()
        text = self.texts.get(language)
        if text is None:
            text = self.texts[language] = self.nodelist.render(context.new())
        return mark_safe(text)


@register.tag
def kept(parser, token):
    """The text between ``{% kept %}`` and ``{% endkept %}``, rendered once per language."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% kept %} takes no arguments.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist)
