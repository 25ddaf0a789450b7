"""Labels of choices, for pages that show many of them."""


def label_of(choices, value) -> str:
    """What `get_FOO_display()` gives for a value of a `TextChoices` class, without translating
    every choice to find one: Django hashes each lazy label to look the value up (for the twenty
    states of a case, twenty translations per row of a timeline). A value that is not a choice
    is given back as it is, as Django does."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
