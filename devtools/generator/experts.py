"""Experts and the profiles matching reads."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from catalogue.models import DeploymentType
from catalogue.vocabularies import EUROPEAN_COUNTRIES, GERMANY, language_name
from experts.models import ExpertProfile, Position
from placements.services import profile_snapshot_of

from .data import (
    CEFR_WEIGHTS,
    COUNTRIES,
    DEPARTMENTS,
    EMAIL_SUFFIX,
    EUROPEAN_NAME_GROUP,
    EUROPEAN_TOWN_HALLS,
    EUROPEAN_WEIGHTS,
    EXTRA_LANGUAGES,
    FIRST_LANGUAGE,
    GENERAL_KEYWORDS,
    GERMAN_TOWN_NAMES,
    KEYWORDS,
    ORGANISATIONS,
    ROLES,
    VARIANTS,
    WINDOW_DAYS,
    WORLD_REGIONS,
    email_part,
    pick,
    sample,
)

# Local first languages of host countries whose main language with the programme is another one.
LOCAL_LANGUAGE = {code: lang for code, (lang, _level) in EXTRA_LANGUAGES.items() if code != "BR"}
# Further languages experts speak, and how often each comes up.
LANGUAGE_WEIGHTS = {
    "en": 10, "fr": 6, "es": 4, "de": 3, "pt": 1.5, "ar": 1, "sw": 0.5,
    **dict.fromkeys(sorted(set(LOCAL_LANGUAGE.values()) - {"ar", "sw"}), 0.15),
}  # fmt: skip


@dataclass
class Profile:
    """The rows of a generated expert's profile besides the profile itself."""

    themes: list[str]
    languages: list[tuple[str, str]]  # language, level
    # Employer, country, role, start, end: newest first, as Position.Meta.ordering reads them.
    positions: list[tuple[str, str, str, date, date | None]]
    models: list[str]


class Experts:
    """Experts of varied nationalities with full profiles, and the pools cases draw them from."""

    def expert(self, nationality: str) -> ExpertProfile:
        rng = self.rng
        european = nationality in EUROPEAN_COUNTRIES
        group = EUROPEAN_NAME_GROUP[nationality] if european else COUNTRIES[nationality][4]
        first, last = self.person(group)
        nationalities = [nationality]
        if rng.random() < 0.05:
            # A second nationality: the diaspora, or a European who settled in a partner country.
            other = (
                rng.choice(self.host_countries)
                if european
                else rng.choice(["DE", "FR", "BE", "NL", "ES"])
            )
            if other != nationality:
                nationalities.append(other)
        roll = rng.random()
        if european:
            residence = (
                nationality
                if roll < 0.8
                else "DE"
                if roll < 0.95
                else rng.choice(self.host_countries)
            )
        else:
            residence = nationality if roll < 0.85 else rng.choice(["DE", "FR", "BE"])
        self.expert_number += 1
        expert = ExpertProfile(
            full_name=f"{first} {last}",
            email=f"{email_part(first)}.{email_part(last)}.{self.expert_number}{EMAIL_SUFFIX}",
            nationalities=nationalities,
            country_of_residence=residence,
            consent_to_be_found=rng.random() < 0.85,
            created_at=self.base - timedelta(days=rng.uniform(1, WINDOW_DAYS)),
        )
        self.profile(expert, nationality, european)
        return expert

    def profile(self, expert: ExpertProfile, nationality: str, european: bool):
        """Fill in what matching reads: expertise, keywords, languages, experience, previous
        positions, countries worked in, availability, preferred regions and models."""
        rng = self.rng
        fields = sorted(self.themes)
        themes = sample(
            rng, fields, [0.3 if f == "other" else 1 for f in fields], rng.randint(1, 3)
        )
        keywords = [k for theme in themes for k in KEYWORDS[theme].split(", ")]
        chosen = rng.sample(keywords, min(len(keywords), rng.randint(2, 5)))
        if rng.random() < 0.5:
            chosen.append(rng.choice(GENERAL_KEYWORDS))
        expert.keywords = ", ".join(chosen)

        positions, municipal_days, countries = self.positions(nationality, european, themes)
        earlier = rng.choice([0, 0, 0, 1, 2, 3, 5, 8]) if positions else rng.randint(0, 6)
        expert.years_municipal_experience = min(30, round(municipal_days / 365) + earlier)

        # The host countries of the positions, and a national expert's own country.
        worked_in = [c for c in dict.fromkeys([nationality, *countries]) if c in COUNTRIES][:4]
        wanted = min(
            rng.choices([0, 1, 2, 3, 4], weights=[3, 4, 3, 2, 1])[0], len(self.host_countries)
        )
        while len(worked_in) < wanted:
            code = rng.choice(self.host_countries)
            if code not in worked_in:
                worked_in.append(code)
        expert.countries_worked_in = worked_in
        if worked_in and rng.random() < 0.5:
            expert.regions_worked_in = ", ".join(
                f"{rng.choice(sorted(COUNTRIES[code][5]))} ({code})" for code in worked_in[:2]
            )
        if rng.random() < 0.85:
            expert.earliest_availability = self.today + timedelta(days=rng.randint(-365, 548))
        regions = sorted(set(WORLD_REGIONS.values()))
        if not european:
            expert.preferred_regions = WORLD_REGIONS[nationality]
        elif rng.random() < 0.7:
            expert.preferred_regions = ", ".join(rng.sample(regions, rng.randint(1, 2)))

        languages = self.languages(nationality, european)
        eligible_for = [
            code
            for code, model in self.types.items()
            if (model.required_nationality == DeploymentType.Nationality.EUROPEAN) == european
        ]
        models = rng.sample(eligible_for, rng.randint(1, len(eligible_for)))
        if rng.random() < 0.05:
            # Some tick a model they are not eligible for.
            models = sorted(self.types)
        self.profiles[id(expert)] = Profile(themes, languages, positions, models)

    def languages(self, nationality: str, european: bool) -> list[tuple[str, str]]:
        """One to four languages with their CEFR levels, the first language among them."""
        rng = self.rng
        if european:
            spoken = {FIRST_LANGUAGE[nationality]: "C2"}
        else:
            main = COUNTRIES[nationality][0]
            local = LOCAL_LANGUAGE.get(nationality)
            spoken = {local: "C2", main: rng.choice(["B2", "C1", "C2"])} if local else {main: "C2"}
        wanted = max(len(spoken), rng.choices([1, 2, 3, 4], weights=[1, 4, 4, 2])[0])
        others = [code for code in LANGUAGE_WEIGHTS if code not in spoken]
        for code in sample(
            rng, others, [LANGUAGE_WEIGHTS[c] for c in others], wanted - len(spoken)
        ):
            spoken[code] = rng.choices(list(CEFR_WEIGHTS), weights=list(CEFR_WEIGHTS.values()))[0]
        return list(spoken.items())

    def positions(self, nationality: str, european: bool, themes: list[str]):
        """Up to three previous positions, newest first, one after the other; with the days
        worked for municipalities and the countries worked in."""
        rng = self.rng
        positions, municipal_days, countries = [], 0, []
        end = None if rng.random() < 0.55 else self.today - timedelta(days=rng.randint(30, 900))
        for _ in range(rng.choices([0, 1, 2, 3], weights=[1, 3, 3, 2])[0]):
            last_day = end or self.today
            start = last_day - timedelta(days=rng.randint(300, 2900))
            employer, country, municipal = self.employer(nationality, european)
            theme = rng.choice(themes)
            german_roles, roles_elsewhere = ROLES[theme]
            if country == GERMANY and municipal:
                employer = f"{employer}, {rng.choice(DEPARTMENTS[theme])}"
                role = rng.choice(german_roles)
            else:
                role = rng.choice(roles_elsewhere)
            positions.append((employer, country, role, start, end))
            countries.append(country)
            if municipal:
                municipal_days += (last_day - start).days
            end = start - timedelta(days=rng.randint(0, 200))
        return positions, municipal_days, countries

    def employer(self, nationality: str, european: bool) -> tuple[str, str, bool]:
        """An employer, its country, and whether it is a municipality."""
        rng = self.rng
        if european:
            kinds = {"german city": 15, "organisation": 30, "abroad": 20}
            if nationality in ("DE", "AT", "CH", "LI", "LU"):
                kinds["german city"] = 55
            elif nationality in EUROPEAN_TOWN_HALLS:
                kinds["home town"] = 45
        else:
            kinds = {"home town": 55, "organisation": 35, "german city": 5, "abroad": 5}
        kind = pick(rng, kinds)
        if kind == "german city":
            return f"Stadt {rng.choice(GERMAN_TOWN_NAMES)}", GERMANY, True
        if kind == "organisation":
            name, country = rng.choice(ORGANISATIONS)
            if country is None:
                country = nationality if not european else rng.choice(self.host_countries)
            return name, country, False
        if kind == "home town" and european:
            pattern, towns = EUROPEAN_TOWN_HALLS[nationality]
            return pattern.format(t=rng.choice(towns.split())), nationality, True
        country = nationality if kind == "home town" else rng.choice(self.host_countries)
        language, _tz, _cur, _rate, _group, regions = COUNTRIES[country]
        town = rng.choice(regions[rng.choice(sorted(regions))].split(" ")).replace("_", " ")
        return VARIANTS.get(language, VARIANTS["en"])[1].format(t=town), country, True

    def european_nationality(self) -> str:
        europe = sorted(EUROPEAN_COUNTRIES)
        weights = [EUROPEAN_WEIGHTS.get(code, 1) for code in europe]
        return self.rng.choices(europe, weights=weights)[0]

    def experts(self, count: int) -> list[ExpertProfile]:
        """Experts of varied nationalities: 60 % European, 40 % from the host countries."""
        rng = self.rng
        experts = []
        for _ in range(count):
            if rng.random() < 0.6:
                nationality = self.european_nationality()
            else:
                nationality = rng.choices(self.host_countries, weights=self.host_weights)[0]
            experts.append(self.expert(nationality))
        self.expert_pool = experts
        self.pools: dict[str, list[ExpertProfile]] = defaultdict(list)
        for expert in experts:
            for code in expert.nationalities:
                self.pools[code].append(expert)
            if any(c in EUROPEAN_COUNTRIES for c in expert.nationalities):
                self.pools["european"].append(expert)
        for pool in self.pools.values():
            rng.shuffle(pool)
        self.used_experts: set[int] = set()
        self.cursors: Counter = Counter()
        return experts

    def select_expert(self, pool_key: str, nationality: str) -> ExpertProfile:
        """The next expert of the pool not selected for another case; when all are, any of the
        pool; when the pool is empty, a new expert of the nationality."""
        pool = self.pools[pool_key]
        index = self.cursors[pool_key]
        while index < len(pool) and id(pool[index]) in self.used_experts:
            index += 1
        self.cursors[pool_key] = index
        if index < len(pool):
            expert = pool[index]
        elif pool:
            expert = self.rng.choice(pool)
        else:
            expert = self.expert(nationality)
            self.expert_pool.append(expert)
            pool.append(expert)
            self.counts["extra experts for selections"] += 1
        self.used_experts.add(id(expert))
        return expert

    def language_label(self, code: str, level: str) -> str:
        """What str() of an ExpertLanguage or RequiredLanguage gives."""
        return f"{language_name(code)} {level}"

    def theme_label(self, code: str) -> str:
        """str() of the theme, looked up once."""
        if code not in self.theme_labels:
            self.theme_labels[code] = str(self.themes[code])
        return self.theme_labels[code]

    def snapshot(self, expert: ExpertProfile) -> dict:
        """What placements.services.profile_snapshot makes of the expert, from the planned rows
        instead of one query per relation and expert."""
        key = id(expert)
        if key not in self.snapshots:
            profile = self.profiles[key]
            self.snapshots[key] = profile_snapshot_of(
                expert,
                expertise=list(profile.themes),
                languages=profile.languages,
                positions=[
                    Position(employer=employer, country=country, role=role, start=start, end=end)
                    for employer, country, role, start, end in profile.positions
                ],
            )
        return self.snapshots[key]
