"""People: the programme staff, the communes' applicants and their contact persons."""

from collections import defaultdict
from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password

from catalogue.vocabularies import GERMANY
from partnerships.models import Commune, CommuneMembership, ContactPerson
from portal import roles
from portal.models import User

from .data import (
    COUNTRIES,
    EMAIL_SUFFIX,
    FUNCTIONS,
    LANGUAGE_NAMES,
    NAMES,
    STAFF,
    WINDOW_DAYS,
    email_part,
)
from .writing import bulk


class People:
    """Names, email addresses and the users of the staff and of the communes."""

    def person(self, group: str) -> tuple[str, str]:
        female, male, last_m, last_f = NAMES[group]
        if self.rng.random() < 0.5:
            index = self.rng.randrange(len(last_m))
            return self.rng.choice(female), (last_f or last_m)[index]
        return self.rng.choice(male), self.rng.choice(last_m)

    def email(self, first: str, last: str) -> str:
        stem = f"{email_part(first)}.{email_part(last)}"
        email, number = f"{stem}{EMAIL_SUFFIX}", 1
        while email in self.emails:
            number += 1
            email = f"{stem}{number}{EMAIL_SUFFIX}"
        self.emails.add(email)
        return email

    def staff_users(self):
        """The generated programme staff, created on the first run and reused afterwards."""
        wanted = []
        for name, role in STAFF:
            first, last = name.split(" ")
            email = f"{email_part(first)}.{email_part(last)}{EMAIL_SUFFIX}"
            wanted.append((email, name, role))
        existing = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
        new = [
            User(
                email=email,
                full_name=name,
                is_staff=True,
                language="de",
                password=make_password(None),
                date_joined=self.base - timedelta(days=WINDOW_DAYS + 60),
            )
            for email, name, _role in wanted
            if email not in existing
        ]
        bulk(User, new)
        self.emails.update(u.email for u in new)
        existing.update({u.email: u for u in new})
        User.groups.through.objects.bulk_create(
            [
                User.groups.through(user_id=existing[email].pk, group_id=self.groups[role].pk)
                for email, _name, role in wanted
            ],
            ignore_conflicts=True,
        )
        self.counts["staff users"] += len(new)
        # Staff use the admin only with two-factor authentication set up (StaffMFAMiddleware):
        # with a TOTP device, `manage.py benchmark` can time the staff pages as one of them.
        with_totp = set(
            Authenticator.objects.filter(
                user__in=existing.values(), type=Authenticator.Type.TOTP
            ).values_list("user_id", flat=True)
        )
        for user in existing.values():
            if user.pk not in with_totp:
                TOTP.activate(user, generate_totp_secret())
        self.skew = [existing[e] for e, _n, r in wanted if r == roles.SKEW]
        self.recruiters = [existing[e] for e, _n, _r in wanted]

    def members(self, communes: list[Commune]):
        """One or two applicants per commune, confirmed members of it."""
        rng = self.rng
        users, memberships, self.members_of = [], [], defaultdict(list)
        for commune in communes:
            code = str(commune.country)
            if code == GERMANY:
                group, language, tz = "german", "de", "Europe/Berlin"
            else:
                language, tz, _cur, _rate, group, _regions = COUNTRIES[code]
            ui_language = language if language in FUNCTIONS else "en"
            for _ in range(1 if rng.random() < 0.7 else 2):
                first, last = self.person(group)
                joined = commune.created_at + timedelta(days=rng.uniform(1, 400))
                user = User(
                    email=self.email(first, last),
                    full_name=f"{first} {last}",
                    language=ui_language,
                    time_zone=tz,
                    password=make_password(None),
                    date_joined=joined,
                )
                users.append(user)
                self.members_of[id(commune)].append(user)
                memberships.append(
                    CommuneMembership(
                        commune=commune,
                        user=user,
                        function=rng.choice(FUNCTIONS[ui_language]),
                        confirmed_at=joined,
                    )
                )
        return users, memberships

    def contact_persons(self, communes: list[Commune]) -> list[ContactPerson]:
        rng = self.rng
        contacts = []
        for commune in communes:
            if rng.random() < 0.5:
                continue
            language, _tz, _cur, _rate, group, _regions = COUNTRIES[str(commune.country)]
            first, last = self.person(group)
            function_language = language if language in FUNCTIONS else "en"
            contacts.append(
                ContactPerson(
                    commune=commune,
                    name=f"{first} {last}",
                    function=rng.choice(FUNCTIONS[function_language]),
                    languages=LANGUAGE_NAMES[language],
                )
            )
        return contacts
