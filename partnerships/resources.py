"""Import and export of communes and partnerships in the admin (django-import-export), made for
taking over the programme's existing list of partnerships from a spreadsheet (CSV or XLSX).

The "partnerships" format has one row per German commune and partner commune. Every row is
checked first and its problems are reported by column; an import with any bad row writes
nothing, not even its good rows, so that a corrected file can simply be imported again.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources
from import_export.formats import base_formats

from catalogue.models import EligibleCountry, Theme
from catalogue.vocabularies import GERMANY
from portal.text import strip_bidi_controls

from .models import Commune, Partnership

COLUMNS = (
    "german_commune",
    "german_region",
    "german_population",
    "partner_commune",
    "partner_country",
    "partner_region",
    "partner_kind",
    "since_year",
    "formal_agreement",
    "agreement_date",
    "status",
    "themes",
    "previous_activities",
)
REQUIRED_COLUMNS = ("german_commune", "partner_commune", "partner_country")
# Optional: lets a file say where its "German" communes are, and be refused when it is not DE.
OPTIONAL_COLUMNS = ("german_country",)
YES = {"yes", "ja", "oui", "true", "1"}
NO = {"no", "nein", "non", "false", "0"}
NAME_MAX_LENGTH = Commune._meta.get_field("name").max_length
REGION_MAX_LENGTH = Commune._meta.get_field("region").max_length
PARTNERSHIP_NAME_MAX_LENGTH = Partnership._meta.get_field("name").max_length
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# 12000, 12,000, 12.000, 12 000 or 12'000: the file may come from any locale.
_WHOLE_NUMBER = re.compile(r"^\d{1,3}([.,' \u00a0\u202f]\d{3})+$|^\d+$")


def _text(value) -> str:
    """A cell as text: spreadsheets give numbers, dates and None where a CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return strip_bidi_controls(str(value)).strip()


def _english_choices(choices) -> dict[str, str]:
    """Code and English label (lower case) -> code."""
    with translation.override("en"):
        mapping = {str(label).lower(): code for code, label in choices}
    mapping.update({code.lower(): code for code, _label in choices})
    return mapping


class CSV(base_formats.CSV):
    """CSV separated by commas or by semicolons, as Excel writes it with German or French
    settings."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        first_line = in_stream.split("\n", 1)[0]
        if first_line.count(";") > first_line.count(","):
            kwargs.setdefault("delimiter", ";")
        return super().create_dataset(in_stream, **kwargs)


@dataclass
class PartnershipRow:
    """One row of the "partnerships" format, checked; the communes when they exist already."""

    german_name: str
    german_region: str
    german_population: int | None
    partner_name: str
    partner_country: str
    partner_region: str
    partner_kind: str
    since_year: int | None
    formal_agreement: bool
    agreement_date: datetime.date | None
    status: str
    themes: list = field(default_factory=list)
    previous_activities: str = ""
    german_commune: Commune | None = None
    partner_commune: Commune | None = None


class _Column(fields.Field):
    """A column of the format, read from a saved partnership (for the export and for the preview
    of an import); the import itself is done by the resource."""

    def __init__(self, column_name, read):
        super().__init__(column_name=column_name, readonly=True)
        self.read = read

    def get_value(self, instance):
        if instance is None or instance.pk is None:
            return ""
        value = self.read(instance)
        return "" if value is None else value

    def export(self, instance, **kwargs):
        return self.get_value(instance)


def _partners(partnership) -> list[Commune]:
    return sorted(partnership.partner_communes.all(), key=lambda commune: commune.name)


def _joined(read):
    """One value per partner commune, joined (most partnerships have one partner commune)."""
    return lambda partnership: "; ".join(str(read(commune)) for commune in _partners(partnership))


def parse_country(value) -> str:
    """The ISO code of a country given by its code (two or three letters) or English name."""
    text = _text(value)
    if not text:
        raise ValidationError(_("The country is missing."))
    code = countries.alpha2(text) if len(text) <= 3 else ""
    code = code or countries.by_name(text, language="en")
    if not code:
        raise ValidationError(
            _(
                "Unknown country “%(value)s”. Give its two-letter ISO code (for example GH) "
                "or its English name (Ghana)."
            )
            % {"value": text}
        )
    return code


class AllOrNothingMixin:
    """Import every row or none: one transaction, rolled back when any row is bad (by default
    import-export keeps the good rows of a file that has bad ones)."""

    def import_data(self, dataset, **kwargs):
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, **kwargs)


class PartnershipImportResource(AllOrNothingMixin, resources.ModelResource):
    """Partnerships and their communes, one row per German commune and partner commune."""

    german_commune = _Column("german_commune", lambda p: p.german_commune.name)
    german_region = _Column("german_region", lambda p: p.german_commune.region)
    german_population = _Column("german_population", lambda p: p.german_commune.population)
    partner_commune = _Column("partner_commune", _joined(lambda c: c.name))
    partner_country = _Column("partner_country", _joined(lambda c: c.country.code))
    partner_region = _Column("partner_region", _joined(lambda c: c.region))
    partner_kind = _Column("partner_kind", _joined(lambda c: c.kind))
    since_year = _Column("since_year", lambda p: p.since_year)
    formal_agreement = _Column("formal_agreement", lambda p: "yes" if p.formal_agreement else "no")
    agreement_date = _Column(
        "agreement_date", lambda p: p.agreement_date.isoformat() if p.agreement_date else ""
    )
    status = _Column("status", lambda p: p.status.replace("_", " "))
    themes = _Column(
        "themes", lambda p: ", ".join(t.code for t in sorted(p.themes.all(), key=_position))
    )
    previous_activities = _Column("previous_activities", lambda p: p.previous_activities)

    class Meta:
        model = Partnership
        name = "partnerships"
        fields = COLUMNS
        import_id_fields = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.current: PartnershipRow | None = None

    # --- The file as a whole ------------------------------------------------------------------

    def import_data(self, dataset, **kwargs):
        """Refuse a file whose columns are wrong before reading any row."""
        problem = self.column_problem(dataset.headers)
        if problem:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            self.handle_import_error(result, ValueError(problem), kwargs.get("raise_errors"))
            return result
        return super().import_data(dataset, **kwargs)

    def column_problem(self, headers) -> str:
        present = {_text(header) for header in headers or []} - {""}
        missing = [column for column in REQUIRED_COLUMNS if column not in present]
        unknown = sorted(present - set(COLUMNS) - set(OPTIONAL_COLUMNS))
        if not missing and not unknown:
            return ""
        problems = []
        if missing:
            problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        problems.append(
            _("The first row must name the columns: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
        )
        return " ".join(problems)

    def before_import(self, dataset, **kwargs):
        self.eligible = set(EligibleCountry.objects.can_host().values_list("country", flat=True))
        self.themes_by_key = {}
        with translation.override("en"):
            for theme in Theme.objects.all():
                self.themes_by_key[theme.code.lower()] = theme
                self.themes_by_key[str(theme.get_code_display()).lower()] = theme
        self.kinds = _english_choices(Commune.Kind.choices)
        self.statuses = _english_choices(Partnership.Status.choices)
        self.statuses.update({code.replace("_", " "): code for code in Partnership.Status.values})

    # --- One row --------------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        """Check the row; a ValidationError here marks it invalid, with a reason per column."""
        if all(_text(value) == "" for value in row.values()):
            self.current = None
            return
        self.current = self.clean_row(row)

    def clean_row(self, row) -> PartnershipRow:
        errors: dict[str, list[str]] = {}

        def cell(column):
            return _text(row.get(column))

        def check(column, parse):
            try:
                return parse(row.get(column))
            except ValidationError as error:
                errors.setdefault(column, []).extend(error.messages)
                return None

        german_name = check("german_commune", lambda v: self.parse_name(v, required=True))
        german_region = check("german_region", self.parse_region)
        german_population = check("german_population", self.parse_population)
        if cell("german_country"):
            check("german_country", self.parse_german_country)
        partner_name = check("partner_commune", lambda v: self.parse_name(v, required=True))
        partner_country = check("partner_country", self.parse_partner_country)
        partner_region = check("partner_region", self.parse_region)
        partner_kind = check("partner_kind", self.parse_kind)
        since_year = check("since_year", self.parse_year)
        formal_agreement = check("formal_agreement", self.parse_yes_no)
        agreement_date = check("agreement_date", self.parse_date)
        status = check("status", self.parse_status)
        themes = check("themes", self.parse_themes)
        if errors:
            raise ValidationError(errors)

        cleaned = PartnershipRow(
            german_name=german_name,
            german_region=german_region,
            german_population=german_population,
            partner_name=partner_name,
            partner_country=partner_country,
            partner_region=partner_region,
            partner_kind=partner_kind,
            since_year=since_year,
            formal_agreement=formal_agreement,
            agreement_date=agreement_date,
            status=status,
            themes=themes,
            previous_activities=cell("previous_activities"),
        )
        cleaned.german_commune = check("german_commune", lambda v: self.find_german(cleaned))
        cleaned.partner_commune = check("partner_commune", lambda v: self.find_partner(cleaned))
        if errors:
            raise ValidationError(errors)
        return cleaned

    def get_or_init_instance(self, instance_loader, row):
        """The partnership of the two communes if there is one, so a file can be imported again."""
        cleaned = self.current
        if cleaned and cleaned.german_commune and cleaned.partner_commune:
            existing = (
                Partnership.objects.filter(
                    german_commune=cleaned.german_commune,
                    partner_communes=cleaned.partner_commune,
                )
                .order_by("pk")
                .first()
            )
            if existing:
                return existing, False
        return self.init_instance(row), True

    def import_instance(self, instance, row, **kwargs):
        cleaned = self.current
        if cleaned is None:
            return
        instance.since_year = cleaned.since_year
        instance.formal_agreement = cleaned.formal_agreement
        instance.agreement_date = cleaned.agreement_date
        instance.status = cleaned.status
        instance.previous_activities = cleaned.previous_activities

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self.current is None

    def before_save_instance(self, instance, row, **kwargs):
        """Create the communes the row names that do not exist yet."""
        cleaned = self.current
        if cleaned.german_commune is None:
            cleaned.german_commune = Commune.objects.create(
                name=cleaned.german_name,
                country=GERMANY,
                region=cleaned.german_region,
                population=cleaned.german_population,
            )
        if cleaned.partner_commune is None:
            cleaned.partner_commune = Commune.objects.create(
                name=cleaned.partner_name,
                country=cleaned.partner_country,
                region=cleaned.partner_region,
                kind=cleaned.partner_kind,
            )
        instance.german_commune = cleaned.german_commune
        if not instance.name:
            name = f"{cleaned.german_commune.name} – {cleaned.partner_commune.name}"
            instance.name = name[:PARTNERSHIP_NAME_MAX_LENGTH]

    def save_m2m(self, instance, row, **kwargs):
        cleaned = self.current
        instance.partner_communes.add(cleaned.partner_commune)
        instance.themes.set(cleaned.themes)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("german_commune").prefetch_related(
            "partner_communes", "themes"
        )

    # --- Reading the cells ----------------------------------------------------------------------

    def parse_name(self, value, *, required=False) -> str:
        name = _text(value)
        if required and not name:
            raise ValidationError(_("The name is missing."))
        if len(name) > NAME_MAX_LENGTH:
            raise ValidationError(
                _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH}
            )
        return name

    def parse_region(self, value) -> str:
        region = _text(value)
        if len(region) > REGION_MAX_LENGTH:
            raise ValidationError(
                _("The region is longer than %(max)d characters.") % {"max": REGION_MAX_LENGTH}
            )
        return region

    def parse_population(self, value) -> int | None:
        text = _text(value)
        if not text:
            return None
        if not _WHOLE_NUMBER.match(text):
            raise ValidationError(
                _("“%(value)s” is not a number of inhabitants.") % {"value": text}
            )
        return int(re.sub(r"\D", "", text))

    def parse_german_country(self, value) -> str:
        code = parse_country(value)
        if code != GERMANY:
            raise ValidationError(
                _("The German commune must be in Germany, not in %(country)s.")
                % {"country": countries.name(code)}
            )
        return code

    def parse_partner_country(self, value) -> str:
        code = parse_country(value)
        if code not in self.eligible:
            raise ValidationError(
                _(
                    "%(country)s is not on the list of eligible countries (the OECD DAC list of "
                    "ODA recipients), so a commune there cannot take part."
                )
                % {"country": countries.name(code)}
            )
        return code

    def parse_kind(self, value) -> str:
        text = _text(value)
        if not text:
            return Commune.Kind.MUNICIPALITY
        try:
            return self.kinds[text.lower()]
        except KeyError:
            raise ValidationError(
                _("Unknown kind of commune “%(value)s”. Use one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(Commune.Kind.values)}
            ) from None

    def parse_year(self, value) -> int | None:
        text = _text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError(_("“%(value)s” is not a year.") % {"value": text})
        year = int(text)
        this_year = timezone.now().year
        if year > this_year:
            raise ValidationError(_("The year %(year)d is in the future.") % {"year": year})
        if year < 1900:
            raise ValidationError(
                _("The year %(year)d is before 1900; please check it.") % {"year": year}
            )
        return year

    def parse_yes_no(self, value) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in YES:
            return True
        if text in NO or not text:
            return False
        raise ValidationError(
            _("“%(value)s” is neither yes nor no. Write yes or no (ja/nein, oui/non, 1/0).")
            % {"value": _text(value)}
        )

    def parse_date(self, value) -> datetime.date | None:
        # A spreadsheet gives a date cell as a datetime.
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            if not _DATE.match(text):
                raise ValueError
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a date. Write it as YYYY-MM-DD, for example 2019-05-23.")
                % {"value": text}
            ) from None

    def parse_status(self, value) -> str:
        text = _text(value)
        if not text:
            return Partnership.Status.ESTABLISHED
        try:
            return self.statuses[text.lower()]
        except KeyError:
            raise ValidationError(
                _("Unknown status “%(value)s”. Write “established” or “being built”.")
                % {"value": text}
            ) from None

    def parse_themes(self, value) -> list[Theme]:
        keys = [key.strip() for key in re.split(r"[,;]", _text(value)) if key.strip()]
        unknown = [key for key in keys if key.lower() not in self.themes_by_key]
        if unknown:
            raise ValidationError(
                _("Unknown themes: %(unknown)s. Use these codes: %(codes)s.")
                % {"unknown": ", ".join(unknown), "codes": ", ".join(Theme.Code.values)}
            )
        return list({self.themes_by_key[key.lower()] for key in keys})

    # --- Finding the communes -------------------------------------------------------------------

    def find_german(self, cleaned: PartnershipRow) -> Commune | None:
        """The German commune of that name (and region, when the row gives one), if it exists."""
        candidates = Commune.objects.german().filter(name__iexact=cleaned.german_name)
        if cleaned.german_region:
            return candidates.filter(region__iexact=cleaned.german_region).first()
        found = list(candidates[:2])
        if len(found) > 1:
            raise ValidationError(
                _(
                    "There are several German communes called %(name)s; give the region "
                    "(german_region) to say which one."
                )
                % {"name": cleaned.german_name}
            )
        return found[0] if found else None

    def find_partner(self, cleaned: PartnershipRow) -> Commune | None:
        """The commune of that name in that country, if it exists."""
        candidates = Commune.objects.filter(
            country=cleaned.partner_country, name__iexact=cleaned.partner_name
        )
        found = list(candidates[:2])
        if len(found) > 1 and cleaned.partner_region:
            found = list(candidates.filter(region__iexact=cleaned.partner_region)[:2])
        if len(found) > 1:
            raise ValidationError(
                _(
                    "There are several communes called %(name)s in %(country)s; give the region "
                    "(partner_region) to say which one."
                )
                % {"name": cleaned.partner_name, "country": countries.name(cleaned.partner_country)}
            )
        return found[0] if found else None


def _position(theme: Theme) -> int:
    return theme.position


class CommuneResource(AllOrNothingMixin, resources.ModelResource):
    """Communes, matched on name, country and region, so a file can be imported again."""

    def before_import_row(self, row, **kwargs):
        if "country" in row:
            try:
                row["country"] = parse_country(row["country"])
            except ValidationError as error:
                raise ValidationError({"country": error.messages}) from None

    class Meta:
        model = Commune
        fields = ("name", "country", "region", "kind", "population", "website")
        import_id_fields = ("name", "country", "region")
        clean_model_instances = True
