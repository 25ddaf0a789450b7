"""Communes in Germany and abroad, and their partnerships."""

from collections import defaultdict
from datetime import date, timedelta

from catalogue.vocabularies import GERMANY
from partnerships.models import Commune, Partnership

from .data import (
    COUNTRIES,
    ENDINGS,
    GERMAN_CITIES,
    LAND_WEIGHTS,
    MARKER_DOMAIN,
    PREFIXES,
    ROMAN,
    STEMS,
    TEXTS,
    VARIANTS,
    WINDOW_DAYS,
    email_part,
    pick,
)


class Communes:
    """German communes, partner communes abroad and the partnerships between them."""

    def unique(self, name: str, country: str, region: str) -> bool:
        key = (name, country, region)
        if key in self.taken:
            return False
        self.taken.add(key)
        return True

    def website(self, name: str, country: str) -> str:
        return f"https://{email_part(name)}-{country.lower()}.{MARKER_DOMAIN}"

    def german_communes(self, count: int) -> list[Commune]:
        rng = self.rng
        real = [
            (name.strip(), state)
            for state, names in GERMAN_CITIES.items()
            for name in names.split(",")
        ]
        rng.shuffle(real)
        communes = []
        for name, state in real:
            if len(communes) == count:
                break
            if self.unique(name, GERMANY, state):
                communes.append((name, state, Commune.Kind.CITY))
        while len(communes) < count:
            stem = rng.choice(STEMS) + rng.choice(ENDINGS)
            base = (rng.choice(PREFIXES) if rng.random() < 0.2 else "") + stem
            roll = rng.random()
            if roll < 0.12:
                name, kind = f"Landkreis {base}", Commune.Kind.DISTRICT
            elif roll < 0.15:
                name, kind = f"Verbandsgemeinde {base}", Commune.Kind.ASSOCIATION
            elif roll < 0.3:
                name, kind = base, Commune.Kind.CITY
            else:
                name, kind = base, Commune.Kind.MUNICIPALITY
            state = (
                "Rheinland-Pfalz" if kind == Commune.Kind.ASSOCIATION else pick(rng, LAND_WEIGHTS)
            )
            if self.unique(name, GERMANY, state):
                communes.append((name, state, kind))
        population = {
            Commune.Kind.CITY: (30_000, 600_000),
            Commune.Kind.MUNICIPALITY: (2_000, 30_000),
            Commune.Kind.DISTRICT: (80_000, 400_000),
            Commune.Kind.ASSOCIATION: (10_000, 40_000),
        }
        return [
            Commune(
                name=name,
                country=GERMANY,
                region=state,
                kind=kind,
                population=round(rng.randint(*population[kind]), -2),
                website=self.website(name, GERMANY),
                created_at=self.base - timedelta(days=rng.uniform(WINDOW_DAYS, WINDOW_DAYS + 900)),
            )
            for name, state, kind in communes
        ]

    def choose_countries(self) -> list[tuple[str, float]]:
        """Up to 30 host countries, partner countries of German cooperation three times as
        likely, each with a weight for how many communes it gets."""
        pool = [(code, 3.0 if partner else 1.0) for code, partner in self.countries]
        chosen = []
        while pool and len(chosen) < 30:
            code, weight = self.rng.choices(pool, weights=[w for _, w in pool])[0]
            pool.remove((code, weight))
            chosen.append((code, weight * self.rng.uniform(0.5, 1.5)))
        return chosen

    def partner_communes(self, count: int) -> list[Commune]:
        rng = self.rng
        communes = []
        self.town_of = {}
        attempts = 0
        while len(communes) < count:
            attempts += 1
            code = rng.choices(self.host_countries, weights=self.host_weights)[0]
            language, _tz, _cur, _rate, _group, regions = COUNTRIES[code]
            region = rng.choice(sorted(regions))
            town = rng.choice(regions[region].split(" ")).replace("_", " ")
            for variant in [
                *VARIANTS.get(language, VARIANTS["en"]),
                *(f"{{t}} {r}" for r in ROMAN),
            ]:
                name = variant.format(t=town)
                if self.unique(name, code, region):
                    break
            else:
                name = f"{town} {attempts}"
                if not self.unique(name, code, region):
                    continue
            if name == town:
                kind = Commune.Kind.CITY
            elif "District" in name or "rurale" in name:
                kind = Commune.Kind.DISTRICT
            else:
                kind = Commune.Kind.MUNICIPALITY
            commune = Commune(
                name=name,
                country=code,
                region=region,
                kind=kind,
                population=round(rng.randint(20_000, 900_000 if kind == "city" else 150_000), -3),
                website=self.website(name, code),
                created_at=self.base - timedelta(days=rng.uniform(WINDOW_DAYS, WINDOW_DAYS + 900)),
            )
            self.town_of[id(commune)] = town
            communes.append(commune)
        return communes

    def partnerships(self, german: list[Commune], abroad: list[Commune]):
        """Each German commune has one partnership with one or two partner communes (a second
        one from the same country). Partner communes are taken in turn, so that with as many
        communes abroad as at home (the default) each has at least one partnership."""
        rng = self.rng
        pool = abroad[:]
        rng.shuffle(pool)
        by_country = defaultdict(list)
        for commune in abroad:
            by_country[str(commune.country)].append(commune)
        partnerships, links = [], []
        for index, home in enumerate(german):
            first = pool[index % len(pool)]
            partners = [first]
            if rng.random() < 0.25:
                others = [c for c in by_country[str(first.country)] if c is not first]
                if others:
                    partners.append(rng.choice(others))
            since = rng.choice([rng.randint(1980, 2024), rng.randint(2000, 2024)])
            agreement = rng.random() < 0.7
            partnership = Partnership(
                name=" – ".join([home.name, *(p.name for p in partners)])[:300],
                german_commune=home,
                since_year=since,
                formal_agreement=agreement,
                agreement_date=date(
                    min(since + rng.randint(0, 2), 2024), rng.randint(1, 12), rng.randint(1, 28)
                )
                if agreement
                else None,
                status=(
                    Partnership.Status.ESTABLISHED if agreement else Partnership.Status.BEING_BUILT
                ),
                previous_activities=rng.choice(TEXTS["previous_activities"]).format(
                    year=rng.randint(max(since, 2010), 2024)
                ),
                created_at=max(home.created_at, partners[0].created_at)
                + timedelta(days=rng.uniform(1, 60)),
            )
            themes = rng.sample(sorted(set(self.themes) - {"other"}), rng.randint(1, 3))
            partnerships.append(partnership)
            links.append((partnership, partners, themes))
        return partnerships, links
