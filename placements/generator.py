"""Generated data for load tests and demonstrations (`manage.py generate_data`).

German communes and their partner communes, partnerships, applicants, expressions of interest
with full content, one case per submitted expression of interest in every state of the workflow
(with the events, profile, vacancy, applications, expert, contract and mission its state implies),
and experts with the profile matching reads (expertise, keywords, languages, previous positions,
countries worked in, availability, deployment models).

Everything is planned in memory with one seeded `random.Random` and written with `bulk_create`
(rows nobody needs the key of with plain INSERTs, or COPY on PostgreSQL) in one transaction: no
`save()`, no signals, no history rows. Every generated row can be found again for `--flush`:

- users and experts: the email address ends with ``@generated.example``;
- communes: the website is on the ``generated.example`` domain;
- everything else hangs off these (partnerships of generated German communes, expressions of
  interest initiated by generated communes, their cases, events, vacancies, missions..., the
  experts' languages, positions and applications).
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from catalogue.models import (
    CountryDeploymentRule,
    DeploymentType,
    EligibleCountry,
    SustainableDevelopmentGoal,
    Theme,
)
from catalogue.vocabularies import EUROPEAN_COUNTRIES, GERMANY, WORLD_LANGUAGES
from experts.models import Application, ExpertLanguage, ExpertProfile, Position
from partnerships.models import (
    Comment,
    Commune,
    CommuneMembership,
    Confirmation,
    ContactPerson,
    EOIEvent,
    ExpressionOfInterest,
    Partnership,
    RequiredLanguage,
)
from partnerships.services import PRIVACY_NOTICE_VERSION
from portal import roles
from portal.models import User

from .models import STAGE_OF_STATE, Case, CaseEvent, Mission, SalaryTopUp, Vacancy
from .workflow import APPLICANTS, REQUEST_OPEN, TRANSITIONS

MARKER_DOMAIN = "generated.example"
EMAIL_SUFFIX = f"@{MARKER_DOMAIN}"
BATCH_SIZE = 2000  # rows per INSERT; 2000 × ~30 columns stays under 65,535 parameters
# Case events lie within the last three years (counted back from the start of yesterday, so
# that they do whatever the time of day).
WINDOW_DAYS = 3 * 365 - 1
MONTH_DAYS = 30.44
S = Case.State


class ReferenceDataMissing(Exception):
    """The migrations' reference data (themes, countries, deployment models, roles) is missing."""


# --- People ---------------------------------------------------------------------------------------
# Per group: female first names, male first names, surnames (male forms), surnames (female forms
# where the language has them, else None).
_RAW_NAMES = {
    "german": (
        "Anna Julia Lena Sarah Laura Katharina Miriam Johanna Clara Lea Sophie Hannah Sabine "
        "Petra Claudia Ute",
        "Lukas Jonas Felix Maximilian Tobias Jan Sebastian Florian Moritz David Niklas Paul "
        "Thomas Andreas Michael Stefan",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
        "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange Werner Krause "
        "Lehmann Köhler Vogel Frank Berger Kaiser Albers Brandt",
        None,
    ),
    "french": (
        "Camille Chloé Manon Élodie Claire Pauline Inès Margaux",
        "Louis Hugo Julien Mathieu Antoine Nicolas Théo Lucas",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
        "Lefebvre Michel Fontaine Garnier",
        None,
    ),
    "dutch": (
        "Sanne Lotte Fleur Eva Femke Lieke",
        "Daan Bram Thijs Ruben Joris Wouter",
        "de_Jong Jansen de_Vries van_den_Berg Bakker Visser Smit Meijer Peeters Claes Janssens "
        "Maes",
        None,
    ),
    "spanish": (
        "Lucía Carmen Marta Elena Nuria Laura",
        "Javier Pablo Sergio Álvaro Daniel Jorge",
        "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Ruiz Moreno "
        "Navarro",
        None,
    ),
    "portuguese": (
        "Inês Beatriz Mariana Sofia",
        "João Tiago Rui Miguel",
        "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins",
        None,
    ),
    "italian": (
        "Giulia Chiara Francesca Sara Elena",
        "Marco Luca Alessandro Matteo Davide",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco",
        None,
    ),
    "irish": (
        "Aoife Siobhan Niamh Ciara",
        "Ciarán Seán Conor Patrick",
        "Murphy Kelly O'Brien Walsh Byrne Ryan",
        None,
    ),
    "maltese": (
        "Maria Rebecca Daniela",
        "Joseph Matthew Luke",
        "Borg Camilleri Vella Farrugia Zammit Galea",
        None,
    ),
    "nordic": (
        "Ingrid Maja Sigrid Aino Freja Astrid",
        "Lars Erik Mikkel Juha Anders Oskar",
        "Johansson Andersson Nielsen Hansen Larsen Virtanen Korhonen Lindqvist Berg Eriksson "
        "Halvorsen Jensen",
        None,
    ),
    "polish": (
        "Agnieszka Katarzyna Magdalena Anna Joanna",
        "Piotr Tomasz Paweł Marcin Krzysztof",
        "Nowak Kowalski Wiśniewski Wójcik Kamiński Lewandowski Mazur Krawczyk",
        "Nowak Kowalska Wiśniewska Wójcik Kamińska Lewandowska Mazur Krawczyk",
    ),
    "czech": (
        "Jana Lucie Tereza Zuzana",
        "Petr Martin Jakub Tomáš",
        "Novák Svoboda Dvořák Horváth Kováč Procházka",
        "Nováková Svobodová Dvořáková Horváthová Kováčová Procházková",
    ),
    "southslavic": (
        "Ivana Petra Maja Ana",
        "Marko Luka Nikola Tomislav",
        "Horvat Novak Kovačević Babić Jurić Krajnc Zupan Knežević",
        None,
    ),
    "bulgarian": (
        "Maria Elena Desislava",
        "Georgi Dimitar Ivan",
        "Ivanov Dimitrov Petrov Georgiev",
        "Ivanova Dimitrova Petrova Georgieva",
    ),
    "romanian": (
        "Ioana Andreea Elena",
        "Andrei Mihai Alexandru",
        "Popescu Ionescu Popa Constantin Stan Dumitru",
        None,
    ),
    "hungarian": ("Eszter Zsófia Anna", "Bence Gábor László", "Nagy Kovács Tóth Szabó Varga", None),
    "greek": (
        "Maria Eleni Katerina",
        "Giorgos Nikos Dimitris",
        "Papadopoulos Georgiou Nikolaou Konstantinidis",
        "Papadopoulou Georgiou Nikolaou Konstantinidou",
    ),
    "baltic": ("Liis Laura Kadri", "Mart Jaan Tõnu", "Tamm Saar Mägi Kask Sepp Rebane", None),
    "west_africa_fr": (
        "Aminata Fatou Awa Mariam Adjoa Kadiatou Akossiwa Rasmata Clarisse Nadège",
        "Moussa Koffi Ibrahima Seydou Yao Kossi Boubacar Issouf Serge Hervé",
        "Traoré Diallo Koné Ouédraogo Sawadogo Agbeko Kouassi Diop Ndiaye Sow Camara Fofana "
        "Houngbo Mbarga Fotso Issoufou Abdou",
        None,
    ),
    "madagascar": (
        "Voahirana Lalao Fanja Hanta",
        "Rija Tahina Andry Mamy",
        "Rakotomalala Razafindrakoto Rasoanaivo Andrianarisoa Ravelojaona Randrianasolo",
        None,
    ),
    "maghreb": (
        "Fatima Salma Leila Imane Amira",
        "Youssef Omar Karim Mehdi Hamza",
        "El_Amrani Benali Bennani Trabelsi Ben_Salah Alaoui Haddad Mansouri",
        None,
    ),
    "levant": (
        "Rania Nour Lina Dana",
        "Ahmad Khaled Omar Fadi",
        "Haddad Khalil Saleh Nasser",
        None,
    ),
    "west_africa_en": (
        "Ama Abena Akosua Ngozi Chiamaka Funmilayo",
        "Kwame Kofi Kwabena Chinedu Emeka Tunde",
        "Mensah Owusu Boateng Asante Okafor Adeyemi Eze Okonkwo Bello Appiah",
        None,
    ),
    "east_africa": (
        "Wanjiru Achieng Grace Nakato Neema Mercy Aline",
        "Otieno Kiprop Joseph Baraka Emmanuel Jean-Paul Peter",
        "Mwangi Odhiambo Kamau Ochieng Nakamya Mugisha Mushi Massawe Uwimana Habimana",
        None,
    ),
    "ethiopia": (
        "Hiwot Selam Meron Tigist",
        "Abebe Dawit Yonas Tesfaye",
        "Bekele Tadesse Alemu Haile Girma Mekonnen",
        None,
    ),
    "southern_africa": (
        "Thandiwe Nomsa Chipo Memory Ndapewa Lerato",
        "Thabo Sipho Mwila Chikondi Mandla Kabelo",
        "Nkosi Dlamini Banda Phiri Mwale Ndlovu Shikongo Mokoena Zulu Tembo",
        None,
    ),
    "latam": (
        "María_José Ana Gabriela Lucía Valentina Rosa Carmen",
        "Carlos Luis Jorge Diego Andrés Juan_Pablo Miguel",
        "Gómez Rodríguez Hernández López Martínez Pérez Flores Quispe Mamani Torres Ramírez "
        "Castillo Condori Vargas",
        None,
    ),
    "brazil": (
        "Mariana Fernanda Beatriz Camila Juliana",
        "João Pedro Rafael Thiago Lucas",
        "Silva Santos Oliveira Souza Costa Pereira Almeida Ferreira Lima Carvalho",
        None,
    ),
    "india": (
        "Priya Ananya Kavya Lakshmi",
        "Arjun Rahul Vikram Suresh",
        "Sharma Patel Singh Iyer Nair Reddy Das Mehta",
        None,
    ),
    "nepal": (
        "Sita Anjali Pratima",
        "Bikash Ramesh Sanjay",
        "Gurung Thapa Shrestha Tamang Rai",
        None,
    ),
    "bangladesh": (
        "Fatema Nusrat Tahmina",
        "Imran Rafiq Tanvir",
        "Rahman Hossain Islam Ahmed Chowdhury Khan",
        None,
    ),
    "vietnam": ("Lan Huong Mai Thao", "Minh Tuan Duc Hung", "Nguyen Tran Le Pham Hoang Vu", None),
    "cambodia": (
        "Sokha Chanthy Sreymom",
        "Dara Vuthy Sopheak",
        "Sok Chan Kim Heng Meas Chea",
        None,
    ),
    "philippines": (
        "Maria Kristine Angelica Joy",
        "Jose Mark Paolo Rommel",
        "Santos Reyes Cruz Bautista Garcia Mendoza Dela_Cruz Aquino",
        None,
    ),
    "indonesia": (
        "Putri Sari Dewi Ayu",
        "Budi Agus Eko Rizky",
        "Wijaya Santoso Pratama Saputra Hidayat Kusuma",
        None,
    ),
    "ukraine": (
        "Olena Iryna Oksana Natalia",
        "Andrii Oleksandr Dmytro Serhii",
        "Kovalenko Shevchenko Bondarenko Melnyk Tkachenko Kravchenko Boyko Oliinyk",
        None,
    ),
}
# Compound names are written with "_" above to keep them one word in the lists.
NAMES = {
    group: tuple(
        None if part is None else [name.replace("_", " ") for name in part.split()]
        for part in parts
    )
    for group, parts in _RAW_NAMES.items()
}

EUROPEAN_NAME_GROUP = {
    **dict.fromkeys(["DE", "AT", "CH", "LI", "LU"], "german"),
    **dict.fromkeys(["FR", "BE"], "french"),
    "NL": "dutch",
    "ES": "spanish",
    "PT": "portuguese",
    "IT": "italian",
    "IE": "irish",
    "MT": "maltese",
    **dict.fromkeys(["DK", "SE", "NO", "FI", "IS"], "nordic"),
    "PL": "polish",
    **dict.fromkeys(["CZ", "SK"], "czech"),
    **dict.fromkeys(["HR", "SI"], "southslavic"),
    "BG": "bulgarian",
    "RO": "romanian",
    "HU": "hungarian",
    **dict.fromkeys(["GR", "CY"], "greek"),
    **dict.fromkeys(["EE", "LV", "LT"], "baltic"),
}
# How often each European nationality comes up among experts; the rest weigh 1.
EUROPEAN_WEIGHTS = {
    "DE": 30, "FR": 8, "ES": 6, "IT": 6, "AT": 5, "NL": 5, "BE": 4, "CH": 4, "PL": 4, "PT": 3,
    "SE": 2, "DK": 2, "FI": 2, "NO": 2, "IE": 2, "CZ": 2, "IS": 0.3, "LI": 0.2,
}  # fmt: skip

FUNCTIONS = {
    "de": [
        "Koordination kommunale Entwicklungspolitik",
        "Leitung Stabsstelle Internationales",
        "Referent für Städtepartnerschaften",
        "Sachbearbeiterin Eine-Welt-Arbeit",
        "Klimaschutzmanagerin",
        "Amtsleitung Umwelt",
    ],
    "fr": [
        "Secrétaire général",
        "Chargée de la coopération décentralisée",
        "Directeur des services techniques",
        "Adjointe au maire",
    ],
    "en": [
        "Town Clerk",
        "Municipal Planning Officer",
        "Head of International Relations",
        "Environmental Health Officer",
        "Municipal Chief Executive",
    ],
    "es": [
        "Alcaldesa",
        "Jefe de Cooperación Internacional",
        "Directora de Planificación",
        "Técnico municipal de medio ambiente",
    ],
}

STAFF = [
    # name, role
    ("Sabine Krüger", roles.SKEW),
    ("Thomas Albers", roles.SKEW),
    ("Nadia Haddad", roles.SKEW),
    ("Jan Peters", roles.SKEW),
    ("Miriam Okafor", roles.GIZ),
    ("Stefan Brandt", roles.GIZ),
    ("Carla Nunes", roles.GIZ),
]

# --- Places ---------------------------------------------------------------------------------------

GERMAN_CITIES = {
    "Baden-Württemberg": "Freiburg im Breisgau, Heidelberg, Tübingen, Konstanz, Esslingen am "
    "Neckar, Ludwigsburg, Reutlingen, Ulm, Karlsruhe, Mannheim, Schwäbisch Hall, Lörrach, "
    "Offenburg, Ravensburg",
    "Bayern": "München, Nürnberg, Augsburg, Regensburg, Würzburg, Erlangen, Bamberg, Landshut, "
    "Passau, Rosenheim, Ingolstadt, Fürth, Bayreuth, Kempten (Allgäu)",
    "Berlin": "Friedrichshain-Kreuzberg, Charlottenburg-Wilmersdorf, Treptow-Köpenick",
    "Brandenburg": "Potsdam, Cottbus, Eberswalde, Frankfurt (Oder)",
    "Bremen": "Bremen, Bremerhaven",
    "Hamburg": "Hamburg, Bezirk Altona",
    "Hessen": "Frankfurt am Main, Wiesbaden, Kassel, Darmstadt, Marburg, Gießen, Offenbach am "
    "Main, Hanau, Fulda",
    "Mecklenburg-Vorpommern": "Rostock, Schwerin, Greifswald, Stralsund",
    "Niedersachsen": "Hannover, Braunschweig, Oldenburg, Osnabrück, Göttingen, Hildesheim, "
    "Lüneburg, Wolfsburg",
    "Nordrhein-Westfalen": "Köln, Düsseldorf, Dortmund, Essen, Bonn, Münster, Aachen, Bielefeld, "
    "Wuppertal, Bochum, Duisburg, Solingen, Paderborn, Siegen, Gelsenkirchen, Krefeld",
    "Rheinland-Pfalz": "Mainz, Trier, Koblenz, Kaiserslautern, Ludwigshafen am Rhein, Landau in "
    "der Pfalz, Speyer",
    "Saarland": "Saarbrücken, Neunkirchen, Homburg",
    "Sachsen": "Leipzig, Dresden, Chemnitz, Zwickau, Görlitz, Bautzen",
    "Sachsen-Anhalt": "Magdeburg, Halle (Saale), Dessau-Roßlau, Lutherstadt Wittenberg",
    "Schleswig-Holstein": "Kiel, Lübeck, Flensburg, Neumünster",
    "Thüringen": "Erfurt, Jena, Weimar, Gera",
}
# Where composed names are placed (roughly by number of municipalities).
LAND_WEIGHTS = {
    "Baden-Württemberg": 11, "Bayern": 13, "Brandenburg": 3, "Hessen": 7,
    "Mecklenburg-Vorpommern": 2, "Niedersachsen": 9, "Nordrhein-Westfalen": 18,
    "Rheinland-Pfalz": 5, "Saarland": 1, "Sachsen": 5, "Sachsen-Anhalt": 3,
    "Schleswig-Holstein": 3, "Thüringen": 3,
}  # fmt: skip
STEMS = [
    "Ahl",
    "Bern",
    "Bils",
    "Brack",
    "Dorn",
    "Eich",
    "Elms",
    "Falken",
    "Frei",
    "Gern",
    "Greven",
    "Hild",
    "Hohen",
    "Holz",
    "Kirch",
    "Lauter",
    "Lind",
    "Mar",
    "Mühl",
    "Oster",
    "Ros",
    "Salz",
    "Schön",
    "Stein",
    "Sonnen",
    "Wald",
    "Weiden",
    "Wester",
    "Wolfs",
    "Asch",
    "Bram",
    "Ebers",
    "Engel",
    "Gold",
    "Hasel",
    "Horn",
    "Kalten",
    "Lieben",
    "Reichen",
    "Roten",
    "Tann",
    "Vogel",
    "Wiesen",
    "Birken",
    "Buchen",
    "Eschen",
    "Fichten",
    "Hirsch",
    "Kreuz",
    "Lerchen",
    "Alten",
    "Erlen",
    "Fried",
    "Hagen",
    "Linden",
    "Marien",
    "Otter",
    "Rieden",
]
ENDINGS = [
    "au",
    "bach",
    "berg",
    "born",
    "brück",
    "burg",
    "dorf",
    "feld",
    "hagen",
    "hausen",
    "heim",
    "ingen",
    "kirchen",
    "leben",
    "rode",
    "stadt",
    "stedt",
    "tal",
    "walde",
    "weiler",
    "werder",
]
PREFIXES = ["Bad ", "Groß ", "Klein ", "Alt ", "Neu "]
# Towns for experts' previous employers (the districts of Berlin and Hamburg are no "Stadt").
GERMAN_TOWN_NAMES = [
    name.strip()
    for land, names in GERMAN_CITIES.items()
    for name in names.split(",")
    if land != "Berlin" and not name.strip().startswith("Bezirk")
]

# Partner countries: main language, time zone, currency and units per euro (rough, for
# plausible local salaries), name group, and region: towns.
COUNTRIES = {
    "TG": ("fr", "Africa/Lome", "XOF", 656, "west_africa_fr", {
        "Plateaux": "Kpalimé Atakpamé Badou", "Maritime": "Tsévié Aného Vogan",
        "Centrale": "Sokodé Tchamba", "Kara": "Kara Bassar", "Savanes": "Dapaong"}),
    "BJ": ("fr", "Africa/Porto-Novo", "XOF", 656, "west_africa_fr", {
        "Atlantique": "Abomey-Calavi Ouidah Allada", "Littoral": "Cotonou",
        "Ouémé": "Porto-Novo", "Zou": "Abomey Bohicon", "Borgou": "Parakou",
        "Atacora": "Natitingou"}),
    "BF": ("fr", "Africa/Ouagadougou", "XOF", 656, "west_africa_fr", {
        "Centre": "Ouagadougou", "Hauts-Bassins": "Bobo-Dioulasso", "Nord": "Ouahigouya",
        "Centre-Ouest": "Koudougou", "Est": "Fada_N'Gourma", "Boucle du Mouhoun": "Dédougou"}),
    "CM": ("fr", "Africa/Douala", "XAF", 656, "west_africa_fr", {
        "Ouest": "Dschang Bafoussam Foumban Mbouda", "Littoral": "Nkongsamba Edéa",
        "Centre": "Mbalmayo Obala", "Nord-Ouest": "Bamenda", "Sud": "Kribi Ebolowa"}),
    "CI": ("fr", "Africa/Abidjan", "XOF", 656, "west_africa_fr", {
        "Abidjan": "Yopougon Cocody Abobo", "Gbêkê": "Bouaké", "Poro": "Korhogo",
        "San-Pédro": "San-Pédro", "Haut-Sassandra": "Daloa"}),
    "SN": ("fr", "Africa/Dakar", "XOF", 656, "west_africa_fr", {
        "Dakar": "Pikine Guédiawaye Rufisque", "Thiès": "Thiès Mbour",
        "Saint-Louis": "Saint-Louis Podor", "Ziguinchor": "Ziguinchor", "Kaolack": "Kaolack"}),
    "ML": ("fr", "Africa/Bamako", "XOF", 656, "west_africa_fr", {
        "Ségou": "Ségou San", "Kayes": "Kayes Kita", "Mopti": "Mopti Djenné",
        "Sikasso": "Sikasso Koutiala"}),
    "NE": ("fr", "Africa/Niamey", "XOF", 656, "west_africa_fr", {
        "Niamey": "Niamey", "Zinder": "Zinder", "Maradi": "Maradi", "Tahoua": "Tahoua",
        "Agadez": "Agadez", "Dosso": "Dosso"}),
    "MG": ("fr", "Indian/Antananarivo", "MGA", 5000, "madagascar", {
        "Analamanga": "Antananarivo", "Atsinanana": "Toamasina", "Boeny": "Mahajanga",
        "Haute Matsiatra": "Fianarantsoa", "Vakinankaratra": "Antsirabe",
        "Atsimo-Andrefana": "Toliara"}),
    "MA": ("fr", "Africa/Casablanca", "MAD", 10.8, "maghreb", {
        "Rabat-Salé-Kénitra": "Salé Kénitra", "Souss-Massa": "Agadir Tiznit",
        "Fès-Meknès": "Fès Meknès", "Marrakech-Safi": "Marrakech Essaouira",
        "Oriental": "Oujda"}),
    "TN": ("fr", "Africa/Tunis", "TND", 3.4, "maghreb", {
        "Sfax": "Sfax", "Sousse": "Sousse", "Kairouan": "Kairouan",
        "Médenine": "Médenine Houmt_Souk", "Bizerte": "Bizerte", "Jendouba": "Tabarka"}),
    "GH": ("en", "Africa/Accra", "GHS", 16, "west_africa_en", {
        "Central Region": "Cape_Coast Elmina Winneba", "Ashanti": "Kumasi Obuasi",
        "Greater Accra": "Tema Madina", "Northern": "Tamale", "Volta": "Ho Hohoe",
        "Western": "Sekondi-Takoradi"}),
    "KE": ("en", "Africa/Nairobi", "KES", 140, "east_africa", {
        "Mombasa": "Mombasa", "Kisumu": "Kisumu", "Nakuru": "Nakuru Naivasha",
        "Uasin Gishu": "Eldoret", "Kilifi": "Malindi Kilifi", "Kiambu": "Thika"}),
    "UG": ("en", "Africa/Kampala", "UGX", 4000, "east_africa", {
        "Central": "Entebbe Mukono", "Western": "Mbarara Fort_Portal",
        "Northern": "Gulu Lira", "Eastern": "Jinja Mbale"}),
    "TZ": ("en", "Africa/Dar_es_Salaam", "TZS", 2800, "east_africa", {
        "Dar es Salaam": "Kinondoni Temeke Ilala", "Arusha": "Arusha", "Kilimanjaro": "Moshi",
        "Mwanza": "Mwanza", "Dodoma": "Dodoma", "Tanga": "Tanga"}),
    "ZM": ("en", "Africa/Lusaka", "ZMW", 29, "southern_africa", {
        "Lusaka": "Lusaka Chongwe", "Copperbelt": "Ndola Kitwe",
        "Southern": "Livingstone Choma", "Eastern": "Chipata"}),
    "MW": ("en", "Africa/Blantyre", "MWK", 1880, "southern_africa", {
        "Southern": "Blantyre Zomba", "Central": "Lilongwe Dedza", "Northern": "Mzuzu"}),
    "NG": ("en", "Africa/Lagos", "NGN", 1650, "west_africa_en", {
        "Lagos": "Ikeja Epe", "Oyo": "Ibadan Ogbomosho", "Kano": "Kano", "Enugu": "Enugu",
        "Kaduna": "Kaduna", "Rivers": "Port_Harcourt"}),
    "ZA": ("en", "Africa/Johannesburg", "ZAR", 20, "southern_africa", {
        "Western Cape": "Stellenbosch George Drakenstein", "KwaZulu-Natal": "eThekwini Msunduzi",
        "Gauteng": "Tshwane Ekurhuleni", "Eastern Cape": "Buffalo_City Nelson_Mandela_Bay",
        "Free State": "Mangaung"}),
    "RW": ("en", "Africa/Kigali", "RWF", 1500, "east_africa", {
        "Southern Province": "Huye Nyanza", "Western Province": "Rubavu Karongi",
        "Kigali": "Nyarugenge Gasabo", "Eastern Province": "Rwamagana",
        "Northern Province": "Musanze"}),
    "NA": ("en", "Africa/Windhoek", "NAD", 20, "southern_africa", {
        "Khomas": "Windhoek", "Erongo": "Swakopmund Walvis_Bay", "Oshana": "Oshakati",
        "Otjozondjupa": "Otjiwarongo", "Kavango East": "Rundu"}),
    "ET": ("en", "Africa/Addis_Ababa", "ETB", 150, "ethiopia", {
        "Amhara": "Bahir_Dar Gondar", "Oromia": "Adama Jimma", "Tigray": "Mekelle",
        "Sidama": "Hawassa", "Dire Dawa": "Dire_Dawa"}),
    "PE": ("es", "America/Lima", "PEN", 4.0, "latam", {
        "Cusco": "Cusco Urubamba", "Arequipa": "Arequipa", "Lima": "Villa_El_Salvador Comas",
        "Junín": "Huancayo", "Cajamarca": "Cajamarca", "Piura": "Piura"}),
    "BO": ("es", "America/La_Paz", "BOB", 7.5, "latam", {
        "La Paz": "El_Alto Achacachi", "Cochabamba": "Sacaba Quillacollo",
        "Santa Cruz": "Montero", "Chuquisaca": "Sucre", "Potosí": "Potosí", "Tarija": "Tarija"}),
    "EC": ("es", "America/Guayaquil", "USD", 1.08, "latam", {
        "Pichincha": "Quito Cayambe", "Guayas": "Durán", "Azuay": "Cuenca",
        "Imbabura": "Ibarra Otavalo", "Manabí": "Portoviejo Manta", "Loja": "Loja"}),
    "CO": ("es", "America/Bogota", "COP", 4500, "latam", {
        "Antioquia": "Medellín Envigado", "Valle del Cauca": "Cali Buenaventura",
        "Bolívar": "Cartagena", "Santander": "Bucaramanga", "Nariño": "Pasto",
        "Cauca": "Popayán"}),
    "MX": ("es", "America/Mexico_City", "MXN", 20, "latam", {
        "Oaxaca": "Oaxaca_de_Juárez", "Chiapas": "San_Cristóbal_de_las_Casas Tuxtla_Gutiérrez",
        "Jalisco": "Zapopan Tlaquepaque", "Puebla": "Cholula", "Yucatán": "Mérida",
        "Guanajuato": "León"}),
    "GT": ("es", "America/Guatemala", "GTQ", 8.4, "latam", {
        "Quetzaltenango": "Quetzaltenango", "Sacatepéquez": "Antigua_Guatemala",
        "Alta Verapaz": "Cobán", "Huehuetenango": "Huehuetenango", "Escuintla": "Escuintla"}),
    "NI": ("es", "America/Managua", "NIO", 40, "latam", {
        "Nueva Segovia": "Ocotal", "León": "León", "Estelí": "Estelí", "Granada": "Granada",
        "Matagalpa": "Matagalpa"}),
    "BR": ("pt", "America/Recife", "BRL", 6.0, "brazil", {
        "Pernambuco": "Recife Olinda", "Bahia": "Salvador", "Minas Gerais": "Belo_Horizonte",
        "Pará": "Belém", "Ceará": "Fortaleza", "Paraná": "Curitiba"}),
    "IN": ("en", "Asia/Kolkata", "INR", 92, "india", {
        "Maharashtra": "Pune Nagpur", "Karnataka": "Mysuru", "Kerala": "Kochi",
        "Tamil Nadu": "Coimbatore", "Odisha": "Bhubaneswar", "Gujarat": "Ahmedabad"}),
    "NP": ("en", "Asia/Kathmandu", "NPR", 147, "nepal", {
        "Bagmati": "Kathmandu Lalitpur Bhaktapur", "Gandaki": "Pokhara", "Lumbini": "Butwal",
        "Koshi": "Biratnagar", "Madhesh": "Janakpur"}),
    "BD": ("en", "Asia/Dhaka", "BDT", 130, "bangladesh", {
        "Dhaka": "Narayanganj Gazipur", "Chattogram": "Chattogram Cox's_Bazar",
        "Khulna": "Khulna", "Rajshahi": "Rajshahi", "Sylhet": "Sylhet"}),
    "VN": ("en", "Asia/Ho_Chi_Minh", "VND", 27000, "vietnam", {
        "Thừa Thiên Huế": "Huế", "Đà Nẵng": "Đà_Nẵng", "Quảng Nam": "Hội_An",
        "Cần Thơ": "Cần_Thơ", "Hải Phòng": "Hải_Phòng", "Lâm Đồng": "Đà_Lạt"}),
    "KH": ("en", "Asia/Phnom_Penh", "KHR", 4400, "cambodia", {
        "Siem Reap": "Siem_Reap", "Battambang": "Battambang", "Kampot": "Kampot",
        "Kampong Cham": "Kampong_Cham"}),
    "PH": ("en", "Asia/Manila", "PHP", 63, "philippines", {
        "Cebu": "Cebu_City Mandaue", "Iloilo": "Iloilo_City", "Davao del Sur": "Davao_City",
        "Albay": "Legazpi", "Benguet": "Baguio", "Bohol": "Tagbilaran"}),
    "ID": ("en", "Asia/Jakarta", "IDR", 17500, "indonesia", {
        "Central Java": "Semarang Surakarta", "Yogyakarta": "Yogyakarta",
        "East Java": "Surabaya Malang", "Bali": "Denpasar", "West Sumatra": "Padang"}),
    "UA": ("en", "Europe/Kyiv", "UAH", 45, "ukraine", {
        "Lviv Oblast": "Lviv Drohobych", "Kyiv Oblast": "Bucha Irpin",
        "Mykolaiv Oblast": "Mykolaiv", "Chernihiv Oblast": "Chernihiv",
        "Odesa Oblast": "Odesa"}),
    "JO": ("en", "Asia/Amman", "JOD", 0.77, "levant", {
        "Irbid": "Irbid", "Zarqa": "Zarqa", "Madaba": "Madaba", "Aqaba": "Aqaba",
        "Balqa": "Salt"}),
}  # fmt: skip
# Languages an expert needs besides the main one (and the level asked for).
EXTRA_LANGUAGES = {
    "MA": ("ar", "B1"), "TN": ("ar", "B1"), "JO": ("ar", "B2"), "UA": ("uk", "B1"),
    "VN": ("vi", "A2"), "KH": ("km", "A2"), "ID": ("id", "B1"), "IN": ("hi", "A2"),
    "NP": ("ne", "A2"), "BD": ("bn", "A2"), "TZ": ("sw", "B1"), "KE": ("sw", "A2"),
    "BR": ("es", "B1"),
}  # fmt: skip
# Ways to name further communes of the same town, by language; "{t}" is the town.
VARIANTS = {
    "fr": ["{t}", "Commune de {t}", "{t} Nord", "{t} Sud", "{t} Est", "{t} Ouest", "{t} Centre",
           "Commune rurale de {t}"],
    "en": ["{t}", "{t} Municipal Council", "{t} North", "{t} South", "{t} East", "{t} West",
           "{t} Central", "{t} District Council"],
    "es": ["{t}", "Municipalidad de {t}", "{t} Norte", "{t} Sur", "{t} Este", "{t} Oeste",
           "{t} Centro", "Municipio de {t}"],
    "pt": ["{t}", "Prefeitura de {t}", "{t} Norte", "{t} Sul", "{t} Leste", "{t} Oeste",
           "{t} Centro", "Município de {t}"],
}  # fmt: skip
LANGUAGE_NAMES = {"fr": "French", "en": "English", "es": "Spanish", "pt": "Portuguese"}
ROMAN = ["II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]

# --- Texts ----------------------------------------------------------------------------------------
# Per theme: titles, problem, idea, objectives, expert tasks, skills, SDGs. "{host}" is the host
# town, "{german}" the German commune, "{topic}" the other thematic field.
THEME_TEXTS = {
    "services": {
        "titles": [
            "Citizen service centre for {host}",
            "One-stop shop for the residents of {host}",
            "Better municipal services in {host}",
            "Civil registry and service quality in {host}",
        ],
        "problem": [
            "Residents of {host} queue for hours for birth certificates, building permits and "
            "market licences; files are kept on paper and often lost. Staff have had little "
            "training since the decentralisation reform.",
            "The municipality of {host} has taken over new responsibilities from the national "
            "government, but its departments work side by side without shared procedures, and "
            "complaints from residents go unanswered.",
        ],
        "idea": [
            "A citizen service centre at the town hall where residents find all services at one "
            "counter, with clear procedures, published fees and a complaints desk.",
            "Map the ten most requested services, simplify their procedures together with staff "
            "and residents, and set up a service charter that the council adopts.",
        ],
        "objectives": [
            "Waiting times halved within two years; a service charter adopted by the council; "
            "every complaint answered within 30 days.",
            "All counter staff trained; procedures for the main services documented and "
            "published; residents' satisfaction measured every year.",
        ],
        "tasks": [
            "Advise the secretary general on the organisation of the service centre; train "
            "counter staff; set up a complaints procedure and its monitoring.",
            "Analyse the current procedures with the departments; propose simplifications; "
            "accompany the introduction of the service charter.",
        ],
        "skills": [
            "Public administration or management; several years in a municipal citizens' "
            "office; experience with change processes.",
            "Organisational development in public administrations; training of adults; "
            "quality management.",
        ],
        "sdgs": [16, 11, 10],
    },
    "climate": {
        "titles": [
            "Climate adaptation plan for {host}",
            "Flood early warning and drainage in {host}",
            "Heat action plan for {host}",
            "Municipal energy and climate strategy for {host}",
            "Greening schools and public spaces in {host}",
        ],
        "problem": [
            "Heavy rains flood the lower districts of {host} every year; drains are blocked and "
            "the town has no map of the areas at risk.",
            "Rising temperatures and longer dry seasons hit {host} hard: wells dry up, and the "
            "poorer districts have neither shade nor cooling.",
        ],
        "idea": [
            "A climate adaptation plan drawn up with the districts: a risk map, priority "
            "measures for drainage and green areas, and an early warning system run with the "
            "local radio.",
            "An energy and climate unit in the town hall that prepares a municipal climate "
            "strategy, starts with solar lighting of public buildings and gains access to "
            "climate finance.",
        ],
        "objectives": [
            "A climate adaptation plan adopted by the council; drainage works in three priority "
            "districts; an early warning system tested in one rainy season.",
            "A municipal climate strategy adopted; energy use of public buildings cut by a "
            "fifth; two projects submitted to climate funds.",
        ],
        "tasks": [
            "Advise the technical department on climate risk analysis; moderate the planning "
            "with the districts; prepare project proposals for climate funds.",
            "Set up the energy and climate unit; train its staff; accompany the first "
            "investments and their monitoring.",
        ],
        "skills": [
            "Environmental engineering, geography or urban planning; experience in climate "
            "adaptation or municipal energy management; participatory methods.",
            "Climate risk assessment and GIS; project development for international climate "
            "funds; at least five years of professional experience.",
        ],
        "sdgs": [13, 11, 7],
    },
    "urban": {
        "titles": [
            "Inclusive development of informal settlements in {host}",
            "Participatory land-use plan for {host}",
            "Upgrading the central market of {host}",
            "Public spaces for all in {host}",
        ],
        "problem": [
            "{host} grows by several thousand residents a year, most of them in unplanned "
            "settlements without roads, drainage or land titles.",
            "The central market of {host} is overcrowded and unsafe; traders, many of them "
            "women, have no say in its management.",
        ],
        "idea": [
            "A land-use plan and a settlement upgrading programme prepared with residents' "
            "committees, starting with one pilot district.",
            "Redesign the market with the traders' associations: stalls, sanitation, waste "
            "collection and a joint management committee.",
        ],
        "objectives": [
            "A land-use plan adopted; upgrading works begun in one pilot district; a residents' "
            "committee in every district concerned.",
            "A market committee in which traders are represented; sanitation and waste "
            "collection at the market; higher and transparent market revenues.",
        ],
        "tasks": [
            "Advise the planning department; moderate participatory planning; support the "
            "preparation of investment proposals.",
            "Accompany the market committee; advise on the design and the fee system; train "
            "municipal staff in participatory planning.",
        ],
        "skills": [
            "Urban planning or architecture; experience with informal settlements or market "
            "development; moderation skills.",
            "Urban development and participatory planning; GIS; experience in a municipal "
            "administration.",
        ],
        "sdgs": [11, 10, 1],
    },
    "sustainable": {
        "titles": [
            "Local 2030 Agenda strategy for {host}",
            "Sustainable development plan for {host}",
            "Local economic development and fair trade in {host}",
            "Sustainable tourism in {host}",
        ],
        "problem": [
            "{host} has a development plan but no way to see whether it works; departments, "
            "civil society and the private sector rarely meet.",
            "Young people leave {host} because there is little work; local products are sold "
            "raw and cheaply.",
        ],
        "idea": [
            "A municipal sustainability strategy linked to the SDGs, with indicators, a yearly "
            "report and a forum of civil society, business and the council.",
            "Support local producers' groups in processing and marketing their products, with "
            "a municipal business advice desk and fair-trade links to {german}.",
        ],
        "objectives": [
            "A sustainability strategy adopted with indicators; a first voluntary local review "
            "published; a forum meeting twice a year.",
            "A business advice desk in the town hall; three producers' groups selling processed "
            "products; new jobs for young people.",
        ],
        "tasks": [
            "Advise the planning unit on SDG-based planning and monitoring; moderate the forum; "
            "prepare the voluntary local review.",
            "Set up the business advice desk; coach producers' groups; build links with buyers "
            "and fair-trade partners.",
        ],
        "skills": [
            "Development studies, economics or public policy; experience with the 2030 Agenda "
            "at municipal level.",
            "Local economic development; value chains and marketing; experience with cooperatives.",
        ],
        "sdgs": [17, 8, 11],
    },
    "waste": {
        "titles": [
            "Waste management in {host}",
            "Separate collection and composting in {host}",
            "A sanitary landfill for {host}",
            "Circular economy with the informal sector in {host}",
        ],
        "problem": [
            "The city's waste is collected in only half of its districts; illegal dumps along "
            "the rivers flood in the rainy season.",
            "The dumpsite of {host} is full and burns; waste pickers work there without "
            "protection, and the council has no data on quantities or costs.",
        ],
        "idea": [
            "A municipal waste strategy with the neighbourhoods, separate collection of organic "
            "waste and a composting site run with a women's cooperative.",
            "Plan the closure of the dumpsite and a controlled landfill, with sorting and "
            "recycling run by organised waste pickers.",
        ],
        "objectives": [
            "Collection in all districts within two years; a composting site in operation; a "
            "fee system that the council has adopted.",
            "A waste management plan adopted; the dumpsite secured; waste pickers organised in "
            "a cooperative with contracts.",
        ],
        "tasks": [
            "Advise the technical department; plan collection rounds with the districts; set "
            "up monitoring; train staff.",
            "Advise on the landfill planning; support the waste pickers' cooperative; introduce "
            "data on quantities and costs.",
        ],
        "skills": [
            "Engineering or environmental management; five years in municipal waste "
            "management; participatory planning.",
            "Waste management and circular economy; integration of the informal sector; "
            "financial planning of municipal services.",
        ],
        "sdgs": [11, 12, 6],
    },
    "water": {
        "titles": [
            "Safe drinking water for the districts of {host}",
            "Water utility management in {host}",
            "Sanitation and faecal sludge management in {host}",
            "Protecting the water resources of {host}",
        ],
        "problem": [
            "Only 40 per cent of the households in {host} have a water connection; kiosks are "
            "often dry and their revenues are not accounted for.",
            "{host} has no sewer system; latrines overflow in the rainy season and pollute the "
            "wells.",
        ],
        "idea": [
            "Improve the municipal water service: a network extension plan, water kiosks run "
            "by the districts, and billing that covers maintenance.",
            "A faecal sludge management system: emptying services, a treatment site and a "
            "hygiene campaign in schools.",
        ],
        "objectives": [
            "Water supply in two more districts; kiosks managed by district committees; a "
            "maintenance fund fed by water fees.",
            "A sanitation plan adopted; emptying services licensed; a treatment site in operation.",
        ],
        "tasks": [
            "Advise the municipal water department on planning, operation and tariffs; train "
            "the kiosk committees; set up monitoring of water quality.",
            "Advise on sanitation planning; support licensing of emptying services; accompany "
            "the hygiene campaign.",
        ],
        "skills": [
            "Water supply or sanitation engineering; experience with municipal utilities; "
            "tariff design.",
            "Sanitation engineering; faecal sludge management; community mobilisation.",
        ],
        "sdgs": [6, 3, 11],
    },
    "mobility": {
        "titles": [
            "Safe walking and cycling in {host}",
            "Public transport plan for {host}",
            "Road safety around schools in {host}",
            "Sustainable urban mobility plan for {host}",
        ],
        "problem": [
            "Traffic in {host} has doubled in ten years; motorbike taxis dominate, accidents "
            "are frequent and pedestrians have no pavements.",
            "Minibuses in {host} run without routes or stops; the bus station is congested and "
            "residents of outer districts spend hours travelling.",
        ],
        "idea": [
            "A sustainable urban mobility plan with safe routes to schools, pavements and cycle "
            "lanes on the main roads, and a road safety campaign.",
            "Reorganise public transport with the operators' associations: fixed routes, stops "
            "and a new bus station.",
        ],
        "objectives": [
            "A mobility plan adopted; safe routes to ten schools; fewer accidents in the centre.",
            "Routes and stops agreed with the operators; a new bus station planned; shorter "
            "travel times from the outer districts.",
        ],
        "tasks": [
            "Advise the technical department on mobility planning and traffic counts; moderate "
            "planning with schools and operators.",
            "Support the negotiations with transport operators; advise on the bus station; "
            "train staff in traffic management.",
        ],
        "skills": [
            "Transport planning or civil engineering; experience with walking, cycling and road "
            "safety.",
            "Public transport planning; stakeholder negotiation; data collection and analysis.",
        ],
        "sdgs": [11, 3, 9],
    },
    "egovernance": {
        "titles": [
            "Digital civil registry for {host}",
            "E-government services in {host}",
            "Municipal tax register and online payments in {host}",
            "Open data and transparency portal for {host}",
        ],
        "problem": [
            "{host} keeps its civil registry and property records on paper; the municipal tax "
            "base is incomplete and revenues stagnate.",
            "Residents of {host} cannot see what the council decides or how the budget is "
            "spent; staff lack IT skills.",
        ],
        "idea": [
            "Digitise the civil registry and the tax register, with online payment of local "
            "taxes and SMS reminders.",
            "An open data portal with the budget, council decisions and the status of public "
            "works, and a training programme for staff.",
        ],
        "objectives": [
            "The civil registry digitised; the tax register complete for the centre; own "
            "revenues up by a quarter.",
            "A transparency portal online; budget and council decisions published; all heads "
            "of department trained.",
        ],
        "tasks": [
            "Advise the IT unit on the choice of software and on data protection; accompany the "
            "digitisation; train staff.",
            "Set up the open data portal with the communication unit; train staff; support "
            "data protection rules.",
        ],
        "skills": [
            "Computer science or information management; experience with e-government in "
            "municipalities; data protection.",
            "Digital public services; project management; training of adults.",
        ],
        "sdgs": [16, 9, 17],
    },
    "other": {
        "titles": ["{topic} in {host}", "{topic}: a municipal programme for {host}"],
        "problem": [
            "{host} has no municipal strategy for {topic_lower}; initiatives of associations "
            "and the town hall are not coordinated.",
            "The council of {host} wants to act on {topic_lower} but lacks staff with the "
            "experience to plan and run a programme.",
        ],
        "idea": [
            "A municipal programme on {topic_lower}, prepared with associations and residents, "
            "with a small unit in the town hall to run it.",
            "Learn from {german}'s experience and adapt it: a pilot in two districts, then a "
            "programme for the whole town.",
        ],
        "objectives": [
            "A programme adopted by the council; a unit in the town hall; two pilot measures "
            "carried out with residents.",
            "Coordinated initiatives; a yearly plan with a budget line; trained municipal staff.",
        ],
        "tasks": [
            "Advise the town hall on the programme; moderate the work with associations; train "
            "the staff of the new unit.",
            "Analyse the situation with the departments; accompany the pilot measures; set up "
            "monitoring.",
        ],
        "skills": [
            "A degree in a related field; experience with municipal programmes; moderation skills.",
        ],
        "sdgs": [11, 17],
        "topics": [
            "Cultural heritage and tourism",
            "Youth participation",
            "Urban agriculture and food security",
            "Disaster risk management",
        ],
    },
}
TEXTS = {
    "target_groups": [
        "Residents of the districts concerned, in particular women, young people and informal "
        "workers; municipal staff.",
        "The municipal administration and the council; residents' associations; small businesses.",
        "Households without services, schools and health centres in the districts concerned; "
        "traders at the markets.",
    ],
    "inclusion": [
        "Women make up half of the district committees; waste pickers and market women are "
        "consulted at each planning step.",
        "Meetings are held in the local language and at times that suit working women; people "
        "with disabilities are invited through their association.",
        "The project recruits young people from the districts as community mobilisers; "
        "women's groups take part in all decisions.",
    ],
    "transparency": [
        "Plans, budgets and progress are published on the town hall's notice board, on local "
        "radio and on the website.",
        "An annual public hearing reports on the project; the minutes of the steering "
        "committee are public.",
        "The budget of the project is part of the municipal budget and discussed openly in the "
        "council.",
    ],
    "cooperation": [
        "A steering committee of the departments concerned, two NGOs and the district chiefs "
        "meets every month.",
        "The technical, finance and planning departments form a project team; the regional "
        "administration and the university take part.",
        "The council's development committee follows the project; civil society and the "
        "private sector join twice a year.",
    ],
    "german_contribution": [
        "Staff of {german} accompany the expert (about 20 days a year), host a study visit and "
        "share their own experience.",
        "{german} provides a mentor from its specialist department and monthly online "
        "exchanges; a delegation visits {host} once a year.",
        "The partnership association in {german} organises exchanges between specialists and "
        "co-finances small investments.",
    ],
    "partner_workplace": [
        "An office with a computer in the technical department; a motorbike for site visits.",
        "A desk in the secretary general's office, internet access and a counterpart from the "
        "department concerned.",
        "Office space in the town hall, a vehicle shared with the technical department and "
        "help with finding housing.",
    ],
    "previous_activities": [
        "School partnerships and exchanges of fire brigades; a joint climate partnership since "
        "{year}.",
        "Delegation visits every two years; joint projects on drinking water and on waste; a "
        "youth exchange.",
        "Exchanges of administrative staff, a joint climate action programme and support to "
        "health centres.",
    ],
    "appraisal_findings": [
        "Both communes confirm the need; the host commune has a counterpart and an office "
        "ready. The tasks were focused on planning and training.",
        "Consultation with the mayor, the secretary general and the German partner: clear "
        "ownership; the deployment model was agreed.",
        "The partnership is active and the project fits the municipal development plan. Risk: "
        "staff turnover in the town hall.",
    ],
}
# Reasons given with the transitions that ask for one (and some that may have one).
REASONS = {
    "request_information": [
        "Please describe how the work will continue after the expert's mission and who pays "
        "the running costs.",
        "Please name the counterpart in the town hall and confirm the office space for the expert.",
        "Please explain how the German commune will accompany the expert and how often you meet.",
        "The objectives are very broad; please say what should be reached within two years.",
    ],
    "decline": [
        "The request duplicates an ongoing project of another donor in the same commune.",
        "The partnership is not active enough yet to accompany an expert; we encourage you to "
        "apply again next year.",
        "The tasks are mainly construction works, which the programme cannot finance.",
        "The host commune could not name a counterpart for the expert.",
    ],
    "withdraw": ["The new council has other priorities.", "Another donor now finances it.", ""],
    "put_on_hold": [
        "Local elections in the host commune; waiting for the new council to confirm the request.",
        "Security situation in the region; the programme reviews it in three months.",
        "The host commune is restructuring its departments; the counterpart is not known yet.",
    ],
    "recruitment_failed": [
        "No suitable candidate on the shortlist.",
        "The selected candidate withdrew for family reasons.",
        "The host commune did not agree to any of the candidates.",
    ],
    "request_extension": [
        "The works are delayed; the council asks for more time to train the new staff.",
        "The host commune wants the expert to accompany the second phase of the plan.",
    ],
    "refuse_extension": [
        "The programme's budget for the year is used up.",
        "The objectives are reached; the commune can continue on its own.",
    ],
    "terminate_early": [
        "The expert had to leave for health reasons.",
        "The security situation no longer allows the mission.",
        "The expert took up another position.",
    ],
}

# --- Experts' profiles ----------------------------------------------------------------------------

# Skills experts of each thematic field list as keywords (a few each), and some anyone may list.
KEYWORDS = {
    "services": "citizen services, one-stop shops, process mapping, service charters, civil "
    "registry, complaints management, quality management, change management",
    "climate": "climate adaptation, risk mapping, early warning, energy management, solar "
    "energy, climate finance, heat action plans, nature-based solutions",
    "urban": "urban planning, informal settlements, land registry, public spaces, housing, "
    "participatory planning, municipal finance, GIS",
    "sustainable": "SDG localisation, Agenda 2030, sustainability reporting, participatory "
    "budgeting, local economic development, fair trade, municipal development plans",
    "waste": "composting, separate collection, landfill planning, informal sector, circular "
    "economy, waste fees, recycling",
    "water": "water supply, faecal sludge management, tariff design, water quality, utility "
    "management, sanitation planning, hygiene campaigns",
    "mobility": "cycling, road safety, public transport, traffic counts, sustainable urban "
    "mobility plans, bus stations",
    "egovernance": "e-government, open data, data protection, digital civil registry, online "
    "payments, IT procurement, GIS",
    "other": "cultural heritage, tourism, youth participation, urban agriculture, disaster risk "
    "management",
}
GENERAL_KEYWORDS = [
    "project management",
    "moderation",
    "budgeting",
    "monitoring and evaluation",
    "public procurement",
    "stakeholder dialogue",
    "adult education",
    "gender mainstreaming",
    "proposal writing",
]
# Departments of German cities and roles there (German), roles elsewhere (English), per field.
DEPARTMENTS = {
    "services": ("Bürgeramt", "Hauptamt", "Amt für Organisation und Personal"),
    "climate": ("Stabsstelle Klimaschutz", "Umweltamt", "Amt für Klimaschutz und Energie"),
    "urban": ("Stadtplanungsamt", "Amt für Stadtentwicklung", "Amt für Wohnungswesen"),
    "sustainable": ("Stabsstelle Nachhaltigkeit", "Büro für Internationales", "Agenda-21-Büro"),
    "waste": ("Abfallwirtschaftsbetrieb", "Stadtreinigung", "Umweltamt"),
    "water": ("Stadtentwässerung", "Stadtwerke, Wasserversorgung", "Tiefbauamt"),
    "mobility": ("Amt für Mobilität", "Straßenverkehrsamt", "Tiefbauamt"),
    "egovernance": ("Amt für Digitalisierung", "IT-Dienstleistungszentrum", "Hauptamt"),
    "other": ("Kulturamt", "Jugendamt", "Amt für Brand- und Katastrophenschutz"),
}
ROLES = {
    "services": (
        [
            "Sachgebietsleitung Bürgerservice",
            "Organisationsberaterin",
            "Referent Verwaltungsreform",
        ],
        [
            "Head of citizen services",
            "Organisational development adviser",
            "Service quality officer",
        ],
    ),
    "climate": (
        ["Klimaschutzmanagerin", "Referent Klimaanpassung", "Energiemanager"],
        ["Climate adaptation adviser", "Energy manager", "Climate finance officer"],
    ),
    "urban": (
        ["Stadtplanerin", "Sachgebietsleitung Quartiersentwicklung", "Referent Wohnungsbau"],
        ["Urban planner", "Land management adviser", "Head of urban development"],
    ),
    "sustainable": (
        ["Nachhaltigkeitsbeauftragte", "Koordinator kommunale Entwicklungspolitik"],
        ["Local development adviser", "SDG coordinator", "Programme officer"],
    ),
    "waste": (
        ["Abteilungsleitung Abfallwirtschaft", "Ingenieurin Deponietechnik", "Abfallberater"],
        ["Waste management engineer", "Solid waste adviser", "Recycling programme manager"],
    ),
    "water": (
        ["Ingenieur Siedlungswasserwirtschaft", "Abteilungsleitung Netzbetrieb", "Laborleiterin"],
        ["Water utility adviser", "Sanitation engineer", "WASH programme manager"],
    ),
    "mobility": (
        ["Verkehrsplanerin", "Radverkehrsbeauftragter", "Sachgebietsleitung ÖPNV"],
        ["Transport planner", "Road safety adviser", "Public transport manager"],
    ),
    "egovernance": (
        ["IT-Projektleiterin", "Datenschutzbeauftragter", "Referentin Digitalisierung"],
        ["E-government adviser", "IT project manager", "Data protection officer"],
    ),
    "other": (
        ["Referentin Jugendbeteiligung", "Sachbearbeiter Katastrophenschutz", "Kulturmanagerin"],
        ["Youth participation officer", "Disaster risk adviser", "Heritage manager"],
    ),
}
# Organisations experts worked for; None: in one of the host countries.
ORGANISATIONS = [
    ("Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)", "DE"),
    ("GIZ", None),
    ("GIZ", None),
    ("Engagement Global, Service Agency Communities in One World", "DE"),
    ("ICLEI – Local Governments for Sustainability", "DE"),
    ("Welthungerhilfe", None),
    ("Brot für die Welt", "DE"),
    ("Misereor", "DE"),
    ("Oxfam", None),
    ("Plan International", None),
    ("WaterAid", None),
    ("UN-Habitat", None),
    ("VNG International", None),
    ("Cities Alliance", None),
    ("Helvetas", None),
]
# Town halls of other European countries: how they call themselves, and a few towns.
EUROPEAN_TOWN_HALLS = {
    "FR": ("Ville de {t}", "Lyon Nantes Grenoble Lille Strasbourg"),
    "BE": ("Ville de {t}", "Liège Namur Charleroi"),
    "NL": ("Gemeente {t}", "Utrecht Rotterdam Groningen Nijmegen"),
    "ES": ("Ayuntamiento de {t}", "Valencia Sevilla Bilbao Zaragoza"),
    "IT": ("Comune di {t}", "Bologna Torino Firenze Padova"),
    "PT": ("Câmara Municipal de {t}", "Porto Lisboa Braga"),
    "AT": ("Stadt {t}", "Wien Graz Linz Salzburg"),
    "CH": ("Stadt {t}", "Zürich Bern Basel"),
    "PL": ("Urząd Miasta {t}", "Kraków Gdańsk Wrocław"),
}
# First languages of European nationalities; the rest speak what their country is named for.
FIRST_LANGUAGE = {
    **dict.fromkeys(["DE", "AT", "CH", "LI"], "de"),
    **dict.fromkeys(["FR", "BE"], "fr"),
    **dict.fromkeys(["IE", "MT"], "en"),
    **dict.fromkeys(["GR", "CY"], "el"),
    "LU": "lb", "NL": "nl", "ES": "es", "PT": "pt", "IT": "it", "DK": "da", "SE": "sv",
    "NO": "nb", "FI": "fi", "IS": "is", "PL": "pl", "CZ": "cs", "SK": "sk", "HR": "hr",
    "SI": "sl", "BG": "bg", "RO": "ro", "HU": "hu", "EE": "et", "LV": "lv", "LT": "lt",
}  # fmt: skip
# Local first languages of host countries whose main language with the programme is another one.
LOCAL_LANGUAGE = {code: lang for code, (lang, _level) in EXTRA_LANGUAGES.items() if code != "BR"}
# Further languages experts speak, and how often each comes up.
LANGUAGE_WEIGHTS = {
    "en": 10, "fr": 6, "es": 4, "de": 3, "pt": 1.5, "ar": 1, "sw": 0.5,
    **dict.fromkeys(sorted(set(LOCAL_LANGUAGE.values()) - {"ar", "sw"}), 0.15),
}  # fmt: skip
CEFR_WEIGHTS = {"A1": 1, "A2": 2, "B1": 4, "B2": 5, "C1": 4, "C2": 1}
WORLD_REGIONS = {
    **dict.fromkeys(
        ["TG", "BJ", "BF", "CM", "CI", "SN", "ML", "NE", "GH", "NG"], "West and Central Africa"
    ),
    **dict.fromkeys(["KE", "UG", "TZ", "RW", "ET"], "East Africa"),
    **dict.fromkeys(["ZM", "MW", "ZA", "NA", "MG"], "Southern Africa"),
    **dict.fromkeys(["MA", "TN", "JO"], "North Africa and the Middle East"),
    **dict.fromkeys(["PE", "BO", "EC", "CO", "MX", "GT", "NI", "BR"], "Latin America"),
    **dict.fromkeys(["IN", "NP", "BD"], "South Asia"),
    **dict.fromkeys(["VN", "KH", "PH", "ID"], "South-East Asia"),
    "UA": "Eastern Europe",
}
# An application's motivation letter: an opening, what fits, and a close.
MOTIVATION = {
    "opening": [
        "I am applying for the position “{title}”.",
        "With great interest I read your vacancy “{title}” and would like to apply.",
        "Dear selection committee, please find my application for “{title}”.",
    ],
    "career": [
        "For {years} years I have worked in municipal administration, most recently as {role} "
        "at {employer}.",
        "As {role} at {employer} I have learnt how a town hall turns plans into services; "
        "altogether I bring {years} years of municipal experience.",
    ],
    "fit": [
        "My main field, {themes}, is what the project in {host} needs.",
        "The tasks match my experience in {themes}, in particular {keyword}.",
    ],
    "no_fit": [
        "My background is in {themes}; I would like to bring what I know about {keyword} to "
        "this project.",
    ],
    "close": [
        "I speak {languages}. I would be glad to work with the colleagues in {host} and {german}.",
        "I speak {languages} and can start at short notice. Thank you for considering my "
        "application.",
    ],
}
SCREENING_NOTES = [
    "Relevant experience; languages confirmed in the phone call.",
    "Strong municipal background; little experience abroad.",
    "Meets the profile; references requested.",
    "Experience fits partly; invited to the interview to clarify the planning skills.",
]
INTERVIEW_NOTES = [
    "Convincing interview; clear ideas for the first six months.",
    "Good technical answers; the host commune should meet the candidate online.",
    "Solid, but expects a quick start; availability to be checked.",
]

# --- The workflow paths ---------------------------------------------------------------------------

# The usual way through the workflow; every path is checked against TRANSITIONS (walk()).
MAIN_LINE = [
    "start_eligibility_check",
    "confirm_eligibility",
    "agree_profile",
    "approve",
    "draft_vacancy",
    "publish_vacancy",
    "start_screening",
    "send_shortlist",
    "select_candidate",
    "start_contracting",
    "prepare_departure",
    "start_mission",
    "begin_closing",
    "close",
]
# How many cases end up in each state: many requests, fewer in recruitment, few closed.
STATE_WEIGHTS = {
    S.SUBMITTED: 10, S.INFO_REQUESTED: 6, S.ELIGIBILITY_CHECK: 8, S.APPRAISAL: 8,
    S.PROFILE_AGREED: 6, S.APPROVED: 5, S.DECLINED: 6, S.WITHDRAWN: 4, S.ON_HOLD: 3,
    S.VACANCY_DRAFTED: 3, S.PUBLISHED: 4, S.SCREENING: 4, S.SHORTLIST_SENT: 3,
    S.CANDIDATE_SELECTED: 3, S.CONTRACTING: 3, S.PREPARING_DEPARTURE: 3, S.ACTIVE: 8,
    S.EXTENSION_REQUESTED: 2, S.CLOSING: 3, S.CLOSED: 3,
}  # fmt: skip
# Where cases were before they went to these states.
INFO_REQUESTED_FROM = {S.SUBMITTED: 5, S.ELIGIBILITY_CHECK: 3, S.APPRAISAL: 2}
ON_HOLD_FROM = {
    S.SUBMITTED: 1, S.ELIGIBILITY_CHECK: 1, S.APPRAISAL: 3, S.PROFILE_AGREED: 2, S.APPROVED: 2,
}  # fmt: skip
DECLINED_FROM = {
    S.SUBMITTED: 1, S.ELIGIBILITY_CHECK: 3, S.APPRAISAL: 4, S.PROFILE_AGREED: 1, S.ON_HOLD: 1,
}  # fmt: skip
WITHDRAWN_FROM = {**DECLINED_FROM, S.INFO_REQUESTED: 4}
FROM_SHORTLIST_SENT = {
    S.SHORTLIST_SENT, S.CANDIDATE_SELECTED, S.CONTRACTING, S.PREPARING_DEPARTURE, S.ACTIVE,
    S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED,
}  # fmt: skip
FROM_CANDIDATE_SELECTED = FROM_SHORTLIST_SENT - {S.SHORTLIST_SENT}
FROM_INTERVIEW = {
    Application.Status.INTERVIEWED,
    Application.Status.SHORTLISTED,
    Application.Status.SELECTED,
}
# Days between the previous event and this one.
GAPS = {
    "request_information": (4, 30), "resubmit": (7, 45), "start_eligibility_check": (1, 14),
    "confirm_eligibility": (7, 30), "agree_profile": (21, 75), "approve": (7, 30),
    "decline": (7, 45), "withdraw": (10, 60), "put_on_hold": (7, 45), "resume": (20, 90),
    "draft_vacancy": (5, 25), "publish_vacancy": (3, 14), "start_screening": (21, 35),
    "send_shortlist": (7, 21), "select_candidate": (7, 30), "start_contracting": (2, 10),
    "prepare_departure": (14, 45), "recruitment_failed": (7, 30), "start_mission": (20, 60),
    "grant_extension": (10, 40), "refuse_extension": (10, 40), "close": (20, 75),
}  # fmt: skip
# How long a case has been sitting in its state now, in days (None: no limit).
DWELL = {
    S.SUBMITTED: (0.5, 45), S.INFO_REQUESTED: (1, 120), S.ELIGIBILITY_CHECK: (1, 40),
    S.APPRAISAL: (2, 90), S.PROFILE_AGREED: (1, 45), S.APPROVED: (1, 40),
    S.DECLINED: (1, None), S.WITHDRAWN: (1, None), S.ON_HOLD: (5, 180),
    S.VACANCY_DRAFTED: (1, 30), S.PUBLISHED: (3, 45), S.SCREENING: (3, 40),
    S.SHORTLIST_SENT: (2, 30), S.CANDIDATE_SELECTED: (2, 21), S.CONTRACTING: (2, 40),
    S.PREPARING_DEPARTURE: (2, 45), S.ACTIVE: (1, None), S.EXTENSION_REQUESTED: (1, 40),
    S.CLOSING: (1, 75), S.CLOSED: (1, None),
}  # fmt: skip


@dataclass
class Step:
    transition: str
    from_state: str
    to_state: str


def walk(path: list[str]) -> tuple[list[Step], str]:
    """The steps of a path of transition names from submission on, and the resume state of the
    last one; refuses a path that the workflow's table does not allow."""
    steps = [Step("submit", "", S.SUBMITTED)]
    state, resume = S.SUBMITTED, ""
    for name in path:
        t = TRANSITIONS[name]
        if state not in t.sources:
            raise ValueError(f"{name} is not possible from {state}")
        target = t.target or resume or S.SUBMITTED
        resume = state if target == S.ON_HOLD else ""
        steps.append(Step(name, state, target))
        state = target
    return steps, resume


def main_line_to(state: str) -> list[str]:
    """The transitions of the usual way from submission to a state on it."""
    if state == S.SUBMITTED:
        return []
    for index, name in enumerate(MAIN_LINE):
        if TRANSITIONS[name].target == state:
            return MAIN_LINE[: index + 1]
    raise ValueError(f"{state} is not on the main line")


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_path(rng: random.Random, state: str) -> list[str]:
    """A plausible path of transitions that ends in the state, with the occasional detour."""
    if state == S.INFO_REQUESTED:
        path = main_line_to(_pick(rng, INFO_REQUESTED_FROM)) + ["request_information"]
    elif state == S.ON_HOLD:
        path = main_line_to(_pick(rng, ON_HOLD_FROM)) + ["put_on_hold"]
    elif state in (S.DECLINED, S.WITHDRAWN):
        source = _pick(rng, DECLINED_FROM if state == S.DECLINED else WITHDRAWN_FROM)
        if source == S.INFO_REQUESTED:
            path = main_line_to(_pick(rng, INFO_REQUESTED_FROM)) + ["request_information"]
        elif source == S.ON_HOLD:
            # Only before the decision: a decided request is not declined or withdrawn.
            path = main_line_to(rng.choice(REQUEST_OPEN)) + ["put_on_hold"]
        else:
            path = main_line_to(source)
        path.append("decline" if state == S.DECLINED else "withdraw")
    elif state in (S.ACTIVE, S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED):
        path = main_line_to(S.ACTIVE)
        roll = rng.random()
        if state == S.ACTIVE and roll < 0.25:
            path += ["request_extension", "grant_extension" if roll < 0.15 else "refuse_extension"]
        elif state == S.EXTENSION_REQUESTED:
            path.append("request_extension")
        elif state in (S.CLOSING, S.CLOSED):
            if roll < 0.12:
                path += ["request_extension", "grant_extension", "begin_closing"]
            elif roll < 0.22:
                path.append("terminate_early")
            elif roll < 0.26:
                path += ["request_extension", "terminate_early"]
            else:
                path.append("begin_closing")
            if state == S.CLOSED:
                path.append("close")
    else:
        path = main_line_to(state)
    return _with_detours(rng, path)


def _with_detours(rng: random.Random, path: list[str]) -> list[str]:
    """Some cases go back for information, are on hold for a while, or see a recruitment fail."""
    if rng.random() < 0.12:
        path = ["request_information", "resubmit", *path]
    states = [step.to_state for step in walk(path)[0]]
    if rng.random() < 0.06:
        pausable = [s for s in states if s in (*REQUEST_OPEN, S.APPROVED)]
        if pausable:
            path = _insert_at(path, rng.choice(pausable), ["put_on_hold", "resume"])
    if rng.random() < 0.15 and "select_candidate" in path:
        loop = rng.choice(
            [
                ["start_screening", "recruitment_failed"],
                ["start_screening", "send_shortlist", "recruitment_failed"],
                ["start_screening", "send_shortlist", "select_candidate", "recruitment_failed"],
            ]
        )
        path = _insert_at(path, S.PUBLISHED, loop)
    return path


def _insert_at(path: list[str], state: str, loop: list[str]) -> list[str]:
    """The path with a loop inserted where it first reaches the state."""
    for index, step in enumerate(walk(path)[0]):
        if step.to_state == state:
            return path[:index] + loop + path[index:]
    return path


# --- Small helpers --------------------------------------------------------------------------------


@contextmanager
def given_timestamps(*fields):
    """Let bulk_create keep the past times we give: otherwise it fills auto_now(_add) fields
    with the current time."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": ""})


def _email_part(name: str) -> str:
    return slugify(name.lower().translate(UMLAUTS)).replace("-", "")


def _first_of_month_after(day: date) -> date:
    return (day.replace(day=1) + relativedelta(months=1)) if day.day > 1 else day


def _sample(rng: random.Random, items: list, weights: list, k: int) -> list:
    """Up to k different items, drawn by weight."""
    items, weights, chosen = list(items), list(weights), []
    while items and len(chosen) < k:
        index = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


def _bulk(model, objs: list) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def _insert(model, fields: tuple[str, ...], rows) -> int:
    """Insert rows nobody needs the primary key of (link tables, experts' languages and
    positions, applications), their values already as the database takes them (numbers, text,
    dates, JSON as text, times through connection.ops.adapt_datetimefield_value). For the
    hundreds of thousands of these, bulk_create's work per object and value would cost more than
    the database's: PostgreSQL gets them by COPY, other databases by executemany."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)


def _link(through, fields: tuple[str, str], pairs) -> int:
    """Insert many-to-many rows through the relation's own table."""
    return _insert(through, fields, pairs)


@dataclass
class Plan:
    """One expression of interest and, when submitted, its case, before they are written."""

    eoi: ExpressionOfInterest
    partnership: Partnership
    hosts: list[Commune]
    themes: list[str]
    sdgs: list[int]
    preferred: list[str]
    languages: list[tuple[str, str]]
    case: Case | None = None
    steps: list[Step] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    top_up: SalaryTopUp | None = None
    mission: Mission | None = None
    vacancy: Vacancy | None = None
    applications: list[Application] = field(default_factory=list)


@dataclass
class Profile:
    """The rows of a generated expert's profile besides the profile itself."""

    themes: list[str]
    languages: list[tuple[str, str]]  # language, level
    # Employer, country, role, start, end: newest first, as Position.Meta.ordering reads them.
    positions: list[tuple[str, str, str, date, date | None]]
    models: list[str]


class Generator:
    """Plans all rows in memory with one random generator, then writes them in bulk."""

    def __init__(self, *, seed: int):
        self.rng = random.Random(seed)
        # All times derive from the start of today (UTC), so that two runs with the same seed on
        # the same day write the same data.
        self.today = timezone.now().date()
        self.base = datetime(self.today.year, self.today.month, self.today.day, tzinfo=UTC)
        self.counts: Counter = Counter()
        self.profiles: dict[int, Profile] = {}
        self.snapshots: dict[int, dict] = {}
        self.language_names: dict[str, str] = {}
        self.theme_labels: dict[str, str] = {}

    # --- Reference data -------------------------------------------------------------------------

    def load_reference_data(self):
        self.themes = {t.code: t for t in Theme.objects.all()}
        self.sdgs = {s.number: s for s in SustainableDevelopmentGoal.objects.all()}
        self.types = {t.code: t for t in DeploymentType.objects.order_by("pk")}
        self.groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
        missing = [r for r in (roles.APPLICANT, roles.SKEW, roles.GIZ) if r not in self.groups]
        if missing or not self.themes or not self.sdgs or not self.types:
            raise ReferenceDataMissing("Reference data is missing: run `manage.py migrate` first.")
        # Allowed (country, deployment model) pairs and when they are in force.
        self.rules = defaultdict(list)
        for country, code, valid_from, valid_until in CountryDeploymentRule.objects.filter(
            allowed=True, country__active=True
        ).values_list("country__country", "deployment_type__code", "valid_from", "valid_until"):
            self.rules[(country, code)].append((valid_from, valid_until))
        open_ended = {
            c for (c, _code), periods in self.rules.items() if any(not u for _, u in periods)
        }
        eligible = EligibleCountry.objects.can_host().order_by("country")
        self.countries = [
            (e.country.code, e.german_partner_country)
            for e in eligible
            if e.country.code in COUNTRIES and e.country.code in open_ended
        ]
        if not self.countries:
            raise ReferenceDataMissing(
                "No eligible country with an allowed deployment model: check the country list."
            )
        self.rule_dates = sorted({vf for periods in self.rules.values() for vf, _ in periods})
        existing = Commune.objects.values_list("name", "country", "region")
        self.taken = {(name, str(country), region) for name, country, region in existing}
        self.emails = set(
            User.objects.filter(email__endswith=EMAIL_SUFFIX).values_list("email", flat=True)
        )
        self.expert_number = ExpertProfile.objects.filter(email__endswith=EMAIL_SUFFIX).count()

    def allowed_types(self, country: str, on: date) -> list[str]:
        return [
            code
            for code in self.types
            if any(vf <= on and (vu is None or vu >= on) for vf, vu in self.rules[(country, code)])
        ]

    # --- People ---------------------------------------------------------------------------------

    def person(self, group: str) -> tuple[str, str]:
        female, male, last_m, last_f = NAMES[group]
        if self.rng.random() < 0.5:
            index = self.rng.randrange(len(last_m))
            return self.rng.choice(female), (last_f or last_m)[index]
        return self.rng.choice(male), self.rng.choice(last_m)

    def email(self, first: str, last: str) -> str:
        stem = f"{_email_part(first)}.{_email_part(last)}"
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
            email = f"{_email_part(first)}.{_email_part(last)}{EMAIL_SUFFIX}"
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
        _bulk(User, new)
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

    # --- Communes and partnerships --------------------------------------------------------------

    def unique(self, name: str, country: str, region: str) -> bool:
        key = (name, country, region)
        if key in self.taken:
            return False
        self.taken.add(key)
        return True

    def website(self, name: str, country: str) -> str:
        return f"https://{_email_part(name)}-{country.lower()}.{MARKER_DOMAIN}"

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
                "Rheinland-Pfalz" if kind == Commune.Kind.ASSOCIATION else _pick(rng, LAND_WEIGHTS)
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
            elif "District" in name or "rurale" in name or name.startswith("Municipio"):
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

    # --- Experts --------------------------------------------------------------------------------

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
            email=f"{_email_part(first)}.{_email_part(last)}.{self.expert_number}{EMAIL_SUFFIX}",
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
        themes = _sample(
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
        for code in _sample(
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
        kind = _pick(rng, kinds)
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
        """What str() of an ExpertLanguage or RequiredLanguage gives, without looking the name up
        among all the world's languages each time (get_language_display does: too slow for tens
        of thousands of rows)."""
        if not self.language_names:
            self.language_names = {code: str(name) for code, name in WORLD_LANGUAGES}
        return f"{self.language_names[code]} {level}"

    def theme_label(self, code: str) -> str:
        """str() of the theme, looked up once."""
        if code not in self.theme_labels:
            self.theme_labels[code] = str(self.themes[code])
        return self.theme_labels[code]

    def snapshot(self, expert: ExpertProfile) -> dict:
        """The dict placements.services.profile_snapshot makes of the expert, built from the
        planned rows instead of one query per relation and expert (a test compares the two)."""
        key = id(expert)
        if key not in self.snapshots:
            profile = self.profiles[key]
            self.snapshots[key] = {
                "full_name": expert.full_name,
                "nationalities": [c.code for c in expert.nationalities],
                "country_of_residence": expert.country_of_residence.code or "",
                "expertise": sorted(self.theme_label(code) for code in profile.themes),
                "keywords": expert.keywords,
                "years_municipal_experience": expert.years_municipal_experience,
                "languages": sorted(
                    self.language_label(code, level) for code, level in profile.languages
                ),
                "positions": [
                    {
                        "employer": employer,
                        "country": country,
                        "role": role,
                        "from": start.isoformat(),
                        "to": end.isoformat() if end else None,
                    }
                    for employer, country, role, start, end in profile.positions
                ],
                "countries_worked_in": [c.code for c in expert.countries_worked_in],
                "earliest_availability": expert.earliest_availability.isoformat()
                if expert.earliest_availability
                else None,
            }
        return self.snapshots[key]

    # --- Expressions of interest and cases ------------------------------------------------------

    def plan_requests(self, partnership_links, cases: int, drafts: int) -> list[Plan]:
        rng = self.rng
        states = list(STATE_WEIGHTS)
        if cases >= len(states):
            # Every state at least once, the rest by weight.
            chosen = states + rng.choices(
                states, weights=list(STATE_WEIGHTS.values()), k=cases - len(states)
            )
        else:
            chosen = rng.choices(states, weights=list(STATE_WEIGHTS.values()), k=cases)
        rng.shuffle(chosen)
        plans = []
        for state in [*chosen, *([None] * drafts)]:
            partnership, partners, themes = rng.choice(partnership_links)
            plan = self.plan_eoi(partnership, partners, themes, draft=state is None)
            if state is not None:
                self.plan_case(plan, state)
            plans.append(plan)
        return plans

    def plan_eoi(self, partnership, partners, partnership_themes, *, draft: bool) -> Plan:
        rng = self.rng
        german = partnership.german_commune
        hosts = partners[:] if len(partners) > 1 and rng.random() < 0.3 else [rng.choice(partners)]
        host = hosts[0]
        code = str(host.country)
        language = COUNTRIES[code][0]
        theme = (
            rng.choice(partnership_themes)
            if rng.random() < 0.8
            else rng.choice(sorted(self.themes))
        )
        texts = THEME_TEXTS[theme]
        themes = [theme]
        if rng.random() < 0.3:
            second = rng.choice(sorted(self.themes))
            if second not in themes and second != "other":
                themes.append(second)
        topic = rng.choice(THEME_TEXTS["other"]["topics"])
        values = {
            "host": self.town_of[id(host)],
            "german": german.name,
            "topic": topic,
            "topic_lower": topic.lower(),
        }

        def text(key, source=texts):
            return rng.choice(source[key]).format(**values)

        sdgs = set(texts["sdgs"][: rng.randint(1, len(texts["sdgs"]))])
        if rng.random() < 0.3:
            sdgs.add(17)
        preferred = []
        deployment_advice_wanted = rng.random() < 0.15
        if not deployment_advice_wanted or rng.random() < 0.5:
            preferred = rng.sample(sorted(self.types), rng.choice([1, 1, 1, 2]))
        languages = [(language, rng.choice(["B2", "C1", "C1"]))]
        if code in EXTRA_LANGUAGES and rng.random() < 0.4:
            languages.append(EXTRA_LANGUAGES[code])
        if rng.random() < 0.2 and all(lang != "de" for lang, _ in languages):
            languages.append(("de", "B1"))
        initiating = german if rng.random() < 0.6 else host
        eoi = ExpressionOfInterest(
            title=text("titles"),
            status=ExpressionOfInterest.Status.DRAFT,
            initiating_commune=initiating,
            created_by=rng.choice(self.members_of[id(initiating)]),
            theme_other=topic if theme == "other" else "",
            problem_and_needs=text("problem"),
            project_idea=text("idea"),
            objectives=text("objectives"),
            expert_tasks=text("tasks"),
            competence_skills=text("skills"),
            years_of_experience=rng.choice([3, 5, 5, 5, 7, 10]),
            deployment_advice_wanted=deployment_advice_wanted,
            duration_months=rng.choices([24, 12, 18, 36], weights=[70, 8, 10, 12])[0],
            target_groups=text("target_groups", TEXTS),
            inclusion=text("inclusion", TEXTS),
            transparency=text("transparency", TEXTS),
            cooperation=text("cooperation", TEXTS),
            german_contribution=text("german_contribution", TEXTS),
            partner_workplace=text("partner_workplace", TEXTS),
            consent_data_processing=not draft,
        )
        if draft:
            # A draft in progress: the later steps are still empty.
            later = ["inclusion", "transparency", "cooperation", "german_contribution"]
            for name in rng.sample([*later, "partner_workplace"], rng.randint(0, 4)):
                setattr(eoi, name, "")
            eoi.created_at = self.base - timedelta(days=rng.uniform(1, 180))
            eoi.updated_at = eoi.created_at + timedelta(
                days=rng.uniform(0, (self.base - eoi.created_at).days)
            )
            eoi.intended_start = _first_of_month_after(
                self.today + timedelta(days=rng.randint(120, 300))
            )
        return Plan(eoi, partnership, hosts, themes, sorted(sdgs), preferred, languages)

    def plan_case(self, plan: Plan, state: str):
        rng = self.rng
        eoi = plan.eoi
        path = plan_path(rng, state)
        steps, resume = walk(path)
        assert steps[-1].to_state == state
        names = [s.transition for s in steps]
        if "begin_closing" in names and "terminate_early" not in names:
            # A case that ran to its end within three years had a short mission.
            eoi.duration_months = rng.choices([12, 18, 24], weights=[3, 3, 4])[0]
        months = eoi.duration_months
        grants = [rng.choice([3, 6]) for n in names if n == "grant_extension"]
        times = self.timeline(steps, state, months, grants)
        dates = [t.date() for t in times]
        plan.steps, plan.times = steps, times
        plan.reasons = [self.reason(step.transition) for step in steps]

        # The expression of interest, as the submissions and decisions left it.
        submissions = [i for i, s in enumerate(steps) if s.transition in ("submit", "resubmit")]
        eoi.submitted_at = times[submissions[-1]]
        eoi.revision = len(submissions)
        eoi.privacy_notice_version = PRIVACY_NOTICE_VERSION
        eoi.created_at = times[0] - timedelta(days=rng.uniform(10, 120))
        eoi_moves = [
            i
            for i, s in enumerate(steps)
            if s.transition
            in ("submit", "resubmit", "request_information", "approve", "decline", "withdraw")
        ]
        eoi.updated_at = times[eoi_moves[-1]]
        eoi.intended_start = _first_of_month_after(dates[0] + timedelta(days=rng.randint(120, 300)))
        if "approve" in names or "decline" in names:
            eoi.status = ExpressionOfInterest.Status.DECIDED
        elif state == S.WITHDRAWN:
            eoi.status = ExpressionOfInterest.Status.WITHDRAWN
        elif state == S.INFO_REQUESTED:
            eoi.status = ExpressionOfInterest.Status.CHANGES_REQUESTED
        else:
            eoi.status = ExpressionOfInterest.Status.SUBMITTED

        case = Case(
            eoi=eoi,
            state=state,
            stage=STAGE_OF_STATE[state],
            state_changed_at=times[-1],
            resume_state=resume,
            case_officer=rng.choice(self.skew) if len(steps) > 1 or rng.random() < 0.5 else None,
            planned_start=eoi.intended_start,
            duration_months=months,
            created_at=times[0],
        )
        plan.case = case
        countries = {str(h.country) for h in plan.hosts}
        code = next(iter(countries))

        # Appraisal and agreed profile.
        agreed = "agree_profile" in names
        if (
            agreed
            or (state == S.APPRAISAL and rng.random() < 0.5)
            or (
                "confirm_eligibility" in names
                and state in (S.DECLINED, S.WITHDRAWN, S.ON_HOLD)
                and rng.random() < 0.3
            )
        ):
            eligible_at = dates[names.index("confirm_eligibility")]
            if agreed:
                latest = dates[names.index("agree_profile")]
            else:
                latest = self.today if state == S.APPRAISAL else dates[-1]
            case.appraisal_mode = rng.choice(Case.AppraisalMode.values)
            case.appraisal_date = eligible_at + timedelta(
                days=rng.randint(0, max(0, (latest - eligible_at).days - 1))
            )
            case.appraisal_findings = rng.choice(TEXTS["appraisal_findings"])
        selected = contracted = False
        for name in names:
            if name == "select_candidate":
                selected = True
            elif name == "recruitment_failed":
                selected = False
            elif name == "start_contracting":
                contracted = True
        if agreed:
            case.competence_profile = eoi.competence_skills
            case.tasks = eoi.expert_tasks
            case.objectives = eoi.objectives
            agreed_on = dates[names.index("agree_profile")]
            if case.planned_start < agreed_on + timedelta(days=60):
                case.planned_start = _first_of_month_after(agreed_on + timedelta(days=120))
            case.deployment_type = self.types[self.deployment_type(case, plan, code, selected)]
        if selected:
            model = case.deployment_type
            if model.required_nationality == DeploymentType.Nationality.EUROPEAN:
                case.selected_expert = self.select_expert("european", self.european_nationality())
            else:
                case.selected_expert = self.select_expert(code, code)
            case.host_commune_chose_expert = True
            models = self.profiles[id(case.selected_expert)].models
            if model.code not in models:
                models.append(model.code)
        if contracted:
            case.contract_party = case.deployment_type.contract_party
            if case.deployment_type.salary_top_up:
                _lang, _tz, currency, rate, _group, _regions = COUNTRIES[code]
                local = Decimal(rng.uniform(500, 1500) * rate)
                plan.top_up = SalaryTopUp(
                    case=case,
                    local_salary=local.quantize(Decimal("1")) if rate > 50 else round(local, 2),
                    local_currency=currency,
                    top_up=Decimal(rng.randrange(1800, 3500, 50)),
                    note=rng.choice(["", "", "Reviewed yearly with the host commune."]),
                )
        if "prepare_departure" in names:
            if "start_mission" in names:
                case.contract_start = dates[names.index("start_mission")]
            else:
                case.contract_start = dates[names.index("prepare_departure")] + timedelta(
                    days=rng.randint(20, 60)
                )
        if "start_mission" in names:
            start = case.contract_start
            mission = Mission(
                case=case,
                expert=case.selected_expert,
                start=start,
                planned_end=start + relativedelta(months=months),
            )
            grant = iter(grants)
            for index, name in enumerate(names):
                if name == "grant_extension":
                    extra = next(grant)
                    mission.extension_months += extra
                    mission.planned_end += relativedelta(months=extra)
                elif name == "terminate_early":
                    mission.terminated_early = True
                    mission.actual_end = dates[index]
                elif name == "close" and mission.actual_end is None:
                    mission.actual_end = min(dates[index], mission.planned_end)
            plan.mission = mission
        if state == S.DECLINED:
            case.decline_reason = plan.reasons[-1]
        if "draft_vacancy" in names:
            self.plan_vacancy(plan, names, times)
        if "publish_vacancy" in names:
            self.plan_applications(plan, names, times, code)

    def plan_vacancy(self, plan: Plan, names: list[str], times: list[datetime]):
        """The vacancy as the workflow drafted it from the agreed profile, published when the
        case was, open until screening started (or for a month from publishing)."""
        rng = self.rng
        case, eoi = plan.case, plan.eoi
        drafted = times[names.index("draft_vacancy")]
        published = times[names.index("publish_vacancy")] if "publish_vacancy" in names else None
        if published is None:
            closing = drafted.date() + timedelta(days=30)
        else:
            # The last time the vacancy was opened, and the screening that closed it.
            opened = max(
                i for i, n in enumerate(names) if n in ("publish_vacancy", "recruitment_failed")
            )
            screening = [i for i in range(opened, len(names)) if names[i] == "start_screening"]
            if screening:
                closing = max(
                    times[opened].date(),
                    times[screening[0]].date() - timedelta(days=rng.randint(0, 3)),
                )
            else:
                closing = times[opened].date() + timedelta(days=rng.randint(21, 45))
        plan.vacancy = Vacancy(
            case=case,
            title=eoi.title,
            tasks=case.tasks or eoi.expert_tasks,
            objectives=case.objectives or eoi.objectives,
            competence_profile=case.competence_profile or eoi.competence_skills,
            languages=", ".join(self.language_label(code, level) for code, level in plan.languages),
            closing_date=closing,
            public=rng.random() < 0.4,
            published_at=published,
            created_at=drafted,
        )

    def plan_applications(self, plan: Plan, names: list[str], times: list[datetime], code: str):
        """Up to twelve applications, most from experts the deployment model allows, in the
        statuses the case's state implies."""
        rng = self.rng
        case, state = plan.case, plan.case.state
        selected = case.selected_expert if state in FROM_CANDIDATE_SELECTED else None
        count = rng.randint(1 if state in FROM_SHORTLIST_SENT else 0, 12)
        european = case.deployment_type.required_nationality == DeploymentType.Nationality.EUROPEAN
        eligible = self.pools["european" if european else code]
        experts = [selected] if selected else []
        for _ in range(count * 2):
            if len(experts) >= count:
                break
            pool = eligible if eligible and rng.random() < 0.75 else self.expert_pool
            if not pool:
                break
            expert = rng.choice(pool)
            if expert not in experts:
                experts.append(expert)
        rng.shuffle(experts)

        published = times[names.index("publish_vacancy")]
        screening = [t for n, t in zip(names, times, strict=True) if n == "start_screening"]
        closing = plan.vacancy.closing_date
        closed = min(
            screening[0] if screening else self.base - timedelta(hours=1),
            datetime(closing.year, closing.month, closing.day, tzinfo=UTC) + timedelta(days=1),
        )
        decided = [
            t
            for n, t in zip(names, times, strict=True)
            if n in ("start_screening", "send_shortlist", "select_candidate", "recruitment_failed")
        ]
        shortlisted = set()
        if state == S.SHORTLIST_SENT:
            shortlisted = {id(e) for e in rng.sample(experts, rng.randint(1, min(3, len(experts))))}
        elif selected:
            # The others the host commune had on its shortlist.
            others = [e for e in experts if e is not selected]
            shortlisted = {id(e) for e in rng.sample(others, min(len(others), rng.randint(0, 2)))}
        for expert in experts:
            created = published + (closed - published) * rng.uniform(0.02, 0.98)
            status, shared = self.application_status(state, expert, selected, shortlisted)
            by_staff = status != Application.Status.APPLIED and rng.random() < 0.1
            application = Application(
                vacancy=plan.vacancy,
                expert=expert,
                status=status,
                shared_with_commune=shared,
                proposed_by_staff=by_staff,
                motivation="" if by_staff else self.motivation(plan, expert),
                created_at=created,
            )
            if status == Application.Status.APPLIED:
                application.updated_at = created
            elif status == Application.Status.WITHDRAWN:
                application.updated_at = created + (self.base - created) * rng.uniform(0, 0.3)
            else:
                application.updated_at = max(created, decided[-1] if decided else created)
            if status not in (Application.Status.APPLIED, Application.Status.WITHDRAWN):
                if not by_staff or rng.random() < 0.5:
                    application.screening_notes = rng.choice(SCREENING_NOTES)
                if status in FROM_INTERVIEW or (shared and rng.random() < 0.8):
                    application.interview_notes = rng.choice(INTERVIEW_NOTES)
            plan.applications.append(application)

    def application_status(
        self, state: str, expert, selected, shortlisted: set
    ) -> tuple[str, bool]:
        """An application's status in a case of this state, and whether the host commune has it
        on the shortlist sent to it."""
        A = Application.Status
        if expert is selected:
            return A.SELECTED, True
        if id(expert) in shortlisted:
            return (A.SHORTLISTED, True) if state == S.SHORTLIST_SENT else (A.DECLINED, True)
        if state == S.PUBLISHED:
            weights = {A.APPLIED: 85, A.SCREENED: 5, A.WITHDRAWN: 10}
        elif state == S.SCREENING:
            weights = {
                A.APPLIED: 30,
                A.SCREENED: 35,
                A.INTERVIEWED: 20,
                A.SHORTLISTED: 8,
                A.WITHDRAWN: 7,
            }
        elif state == S.SHORTLIST_SENT:
            weights = {A.SCREENED: 40, A.INTERVIEWED: 30, A.DECLINED: 20, A.WITHDRAWN: 10}
        else:
            weights = {A.DECLINED: 85, A.WITHDRAWN: 15}
        return _pick(self.rng, weights), False

    def motivation(self, plan: Plan, expert: ExpertProfile) -> str:
        """A short motivation letter from what the expert's profile holds."""
        rng = self.rng
        profile = self.profiles[id(expert)]
        shared = [code for code in profile.themes if code in plan.themes]
        values = {
            "title": plan.eoi.title,
            "host": self.town_of[id(plan.hosts[0])],
            "german": plan.partnership.german_commune.name,
            "years": expert.years_municipal_experience,
            "themes": ", ".join(
                self.theme_label(code).lower() for code in shared or profile.themes
            ),
            "keyword": rng.choice(expert.keywords.split(", ")),
            "languages": ", ".join(
                self.language_label(code, level) for code, level in profile.languages
            ),
        }
        parts = [rng.choice(MOTIVATION["opening"])]
        if profile.positions:
            values["employer"], _country, values["role"], _start, _end = profile.positions[0]
            parts.append(rng.choice(MOTIVATION["career"]))
        parts.append(rng.choice(MOTIVATION["fit" if shared else "no_fit"]))
        parts.append(rng.choice(MOTIVATION["close"]))
        return " ".join(parts).format(**values)

    def reason(self, transition: str) -> str:
        if transition in REASONS:
            return self.rng.choice(REASONS[transition])
        return ""

    def deployment_type(self, case: Case, plan: Plan, country: str, needs_expert: bool) -> str:
        """A model allowed in the host country on the planned start, preferably one the communes
        asked for and, for a case with a selected expert, one with a fitting expert in the pool.
        Moves the planned start to when a model becomes allowed if none is yet."""
        allowed = self.allowed_types(country, case.planned_start)
        if not allowed:
            for day in self.rule_dates:
                if day > case.planned_start and (allowed := self.allowed_types(country, day)):
                    case.planned_start = day
                    break
        if needs_expert:
            staffed = [
                code
                for code in allowed
                if self.pools[
                    "european"
                    if self.types[code].required_nationality == DeploymentType.Nationality.EUROPEAN
                    else country
                ]
            ]
            allowed = staffed or allowed
        preferred = [code for code in plan.preferred if code in allowed]
        return self.rng.choice(preferred or allowed)

    def timeline(self, steps: list[Step], state: str, months: int, grants: list[int]):
        """The time of every step: gaps drawn per transition, the mission's events placed by its
        length, the whole fitted into the last three years and the state's usual dwell time."""
        rng = self.rng
        offsets = [0.0]
        mission_start = None
        mission_months = months
        grant = iter(grants)
        for step in steps[1:]:
            name, previous = step.transition, offsets[-1]
            if name == "request_extension":
                planned_end = mission_start + mission_months * MONTH_DAYS
                offset = max(previous + 7, planned_end - rng.uniform(60, 150))
            elif name == "begin_closing":
                planned_end = mission_start + mission_months * MONTH_DAYS
                offset = max(previous + 3, planned_end - rng.uniform(0, 20))
            elif name == "terminate_early":
                if step.from_state == S.ACTIVE:
                    share = rng.uniform(0.25, 0.8)
                    offset = max(previous + 14, mission_start + share * mission_months * MONTH_DAYS)
                else:
                    offset = previous + rng.uniform(10, 40)
            else:
                offset = previous + rng.uniform(*GAPS[name])
                if name == "grant_extension":
                    mission_months += next(grant)
            if name == "start_mission":
                mission_start = offset
            offsets.append(offset)

        total = offsets[-1]
        low_dwell, high_dwell = DWELL[state]
        if total + low_dwell > WINDOW_DAYS:
            # Too long for the window: shorten the time before the mission.
            before = mission_start if mission_start is not None else total
            after = total - before
            factor = max(0.2, (WINDOW_DAYS - low_dwell - after) / before)
            offsets = [o * factor if o <= before else o - before + before * factor for o in offsets]
            if mission_start is not None:
                mission_start *= factor
            total = offsets[-1]
        low = total + low_dwell
        high = min(WINDOW_DAYS, total + high_dwell if high_dwell else WINDOW_DAYS)
        if state in (S.ACTIVE, S.EXTENSION_REQUESTED):
            # The mission has not reached its planned end yet.
            high = min(high, mission_start + mission_months * MONTH_DAYS - 3)
        days_ago = rng.uniform(low, max(low, high))
        first = self.base - timedelta(days=days_ago)
        return [first + timedelta(days=offset) for offset in offsets]

    def actor(self, step: Step, plan: Plan, case: Case):
        t = TRANSITIONS[step.transition]
        if t.roles == APPLICANTS:
            commune = self.rng.choice([plan.partnership.german_commune, *plan.hosts])
            return self.rng.choice(self.members_of[id(commune)])
        if roles.GIZ in t.roles:
            return self.rng.choice(self.recruiters)
        if case.case_officer and self.rng.random() < 0.7:
            return case.case_officer
        return self.rng.choice(self.skew)

    # --- Writing --------------------------------------------------------------------------------

    def run(self, *, cases: int, experts: int, communes: int) -> Counter:
        self.load_reference_data()
        self.staff_users()
        chosen = self.choose_countries()
        self.host_countries = [code for code, _ in chosen]
        self.host_weights = [weight for _, weight in chosen]

        german = self.german_communes(communes // 2)
        abroad = self.partner_communes(communes - communes // 2)
        all_communes = german + abroad
        users, memberships = self.members(all_communes)
        contacts = self.contact_persons(abroad)
        partnerships, links = self.partnerships(german, abroad)
        self.experts(experts)
        drafts = max(1, round(cases * 0.08))
        plans = self.plan_requests(links, cases, drafts)

        with given_timestamps(
            Commune._meta.get_field("created_at"),
            Partnership._meta.get_field("created_at"),
            ExpressionOfInterest._meta.get_field("created_at"),
            ExpressionOfInterest._meta.get_field("updated_at"),
            EOIEvent._meta.get_field("created_at"),
            Confirmation._meta.get_field("created_at"),
            Comment._meta.get_field("created_at"),
            Case._meta.get_field("created_at"),
            ExpertProfile._meta.get_field("created_at"),
            Vacancy._meta.get_field("created_at"),
        ):
            self.counts["communes"] += len(_bulk(Commune, all_communes))
            self.counts["applicant users"] += len(_bulk(User, users))
            applicant_group = self.groups[roles.APPLICANT].pk
            _link(
                User.groups.through,
                ("user_id", "group_id"),
                ((u.pk, applicant_group) for u in users),
            )
            self.counts["memberships"] += len(_bulk(CommuneMembership, memberships))
            self.counts["contact persons"] += len(_bulk(ContactPerson, contacts))
            self.counts["partnerships"] += len(_bulk(Partnership, partnerships))
            _link(
                Partnership.partner_communes.through,
                ("partnership_id", "commune_id"),
                ((p.pk, c.pk) for p, partners, _ in links for c in partners),
            )
            _link(
                Partnership.themes.through,
                ("partnership_id", "theme_id"),
                ((p.pk, self.themes[code].pk) for p, _, codes in links for code in codes),
            )
            self.counts["experts"] += len(_bulk(ExpertProfile, self.expert_pool))
            self.write_profiles()
            self.write_requests(plans)
        return self.counts

    def write_profiles(self):
        experts = [(e, self.profiles[id(e)]) for e in self.expert_pool]
        _link(
            ExpertProfile.expertise.through,
            ("expertprofile_id", "theme_id"),
            ((e.pk, self.themes[code].pk) for e, p in experts for code in p.themes),
        )
        _link(
            ExpertProfile.open_to_models.through,
            ("expertprofile_id", "deploymenttype_id"),
            ((e.pk, self.types[code].pk) for e, p in experts for code in p.models),
        )
        self.counts["expert languages"] += _insert(
            ExpertLanguage,
            ("expert", "language", "level"),
            ((e.pk, *language) for e, p in experts for language in p.languages),
        )
        self.counts["previous positions"] += _insert(
            Position,
            ("expert", "employer", "country", "role", "start", "end"),
            ((e.pk, *position) for e, p in experts for position in p.positions),
        )

    def write_requests(self, plans: list[Plan]):
        rng = self.rng
        eois = [plan.eoi for plan in plans]
        self.counts["expressions of interest"] += len(_bulk(ExpressionOfInterest, eois))
        EOI = ExpressionOfInterest
        _link(
            EOI.partnerships.through,
            ("expressionofinterest_id", "partnership_id"),
            ((p.eoi.pk, p.partnership.pk) for p in plans),
        )
        _link(
            EOI.host_communes.through,
            ("expressionofinterest_id", "commune_id"),
            ((p.eoi.pk, h.pk) for p in plans for h in p.hosts),
        )
        _link(
            EOI.themes.through,
            ("expressionofinterest_id", "theme_id"),
            ((p.eoi.pk, self.themes[t].pk) for p in plans for t in p.themes),
        )
        _link(
            EOI.sdgs.through,
            ("expressionofinterest_id", "sustainabledevelopmentgoal_id"),
            ((p.eoi.pk, self.sdgs[n].pk) for p in plans for n in p.sdgs),
        )
        _link(
            EOI.preferred_deployment_types.through,
            ("expressionofinterest_id", "deploymenttype_id"),
            ((p.eoi.pk, self.types[c].pk) for p in plans for c in p.preferred),
        )
        self.counts["required languages"] += len(
            _bulk(
                RequiredLanguage,
                [
                    RequiredLanguage(eoi=p.eoi, language=language, level=level)
                    for p in plans
                    for language, level in p.languages
                ],
            )
        )

        eoi_events, confirmations, comments = [], [], []
        case_events, top_ups, missions = [], [], []
        Kind, Status = EOIEvent.Kind, EOI.Status
        for plan in plans:
            eoi = plan.eoi
            eoi_events.append(
                EOIEvent(
                    eoi=eoi,
                    kind=Kind.CREATED,
                    actor=eoi.created_by,
                    commune=eoi.initiating_commune,
                    to_status=Status.DRAFT,
                    created_at=eoi.created_at,
                )
            )
            case = plan.case
            if case is None:
                continue
            parties = [plan.partnership.german_commune, *plan.hosts]
            status, revision = Status.DRAFT, 0
            for step, at, reason in zip(plan.steps, plan.times, plan.reasons, strict=True):
                name = step.transition
                if name in ("submit", "resubmit"):
                    # Each party commune confirms; the last confirmation submits.
                    revision += 1
                    rng.shuffle(parties)
                    for index, commune in enumerate(parties):
                        actor = rng.choice(self.members_of[id(commune)])
                        hours_before = (len(parties) - 1 - index) * rng.uniform(2, 72)
                        confirmed_at = at - timedelta(hours=hours_before)
                        confirmations.append(
                            Confirmation(
                                eoi=eoi,
                                commune=commune,
                                revision=revision,
                                user=actor,
                                created_at=confirmed_at,
                            )
                        )
                        eoi_events.append(
                            EOIEvent(
                                eoi=eoi,
                                kind=Kind.CONFIRMED,
                                actor=actor,
                                commune=commune,
                                created_at=confirmed_at,
                            )
                        )
                else:
                    actor = self.actor(step, plan, case)
                case_events.append(
                    CaseEvent(
                        case=case,
                        transition=name,
                        from_state=step.from_state,
                        to_state=step.to_state,
                        actor=actor,
                        reason=reason,
                        created_at=at,
                    )
                )
                if name in ("submit", "resubmit"):
                    eoi_events.append(
                        EOIEvent(
                            eoi=eoi,
                            kind=Kind.SUBMITTED,
                            actor=actor,
                            from_status=status,
                            to_status=Status.SUBMITTED,
                            note=f"Version {revision}",
                            created_at=at,
                        )
                    )
                    status = Status.SUBMITTED
                elif name == "request_information":
                    comments.append(
                        Comment(
                            eoi=eoi, author=actor, from_programme=True, body=reason, created_at=at
                        )
                    )
                    eoi_events.append(
                        EOIEvent(
                            eoi=eoi,
                            kind=Kind.CHANGES_REQUESTED,
                            actor=actor,
                            from_status=status,
                            to_status=Status.CHANGES_REQUESTED,
                            note=reason,
                            created_at=at,
                        )
                    )
                    status = Status.CHANGES_REQUESTED
                elif name in ("approve", "decline", "withdraw"):
                    to = Status.WITHDRAWN if name == "withdraw" else Status.DECIDED
                    kind = Kind.WITHDRAWN if name == "withdraw" else Kind.DECIDED
                    eoi_events.append(
                        EOIEvent(
                            eoi=eoi,
                            kind=kind,
                            actor=actor,
                            from_status=status,
                            to_status=to,
                            note=reason,
                            created_at=at,
                        )
                    )
                    status = to
            if status != eoi.status:
                raise AssertionError(f"EOI status {eoi.status} does not follow its events")
            if plan.top_up:
                top_ups.append(plan.top_up)
            if plan.mission:
                missions.append(plan.mission)

        self.counts["EOI events"] += len(_bulk(EOIEvent, eoi_events))
        self.counts["confirmations"] += len(_bulk(Confirmation, confirmations))
        self.counts["comments"] += len(_bulk(Comment, comments))
        cases = [p.case for p in plans if p.case is not None]
        self.counts["cases"] += len(_bulk(Case, cases))
        _link(
            Case.host_communes.through,
            ("case_id", "commune_id"),
            ((p.case.pk, h.pk) for p in plans if p.case is not None for h in p.hosts),
        )
        self.counts["case events"] += len(_bulk(CaseEvent, case_events))
        self.counts["salary top-ups"] += len(_bulk(SalaryTopUp, top_ups))
        self.counts["missions"] += len(_bulk(Mission, missions))
        self.counts["vacancies"] += len(_bulk(Vacancy, [p.vacancy for p in plans if p.vacancy]))
        moment = connection.ops.adapt_datetimefield_value
        self.counts["applications"] += _insert(
            Application,
            (
                "vacancy",
                "expert",
                "status",
                "shared_with_commune",
                "proposed_by_staff",
                "motivation",
                "screening_notes",
                "interview_notes",
                "profile_snapshot",
                "created_at",
                "updated_at",
            ),
            (
                (
                    a.vacancy.pk,
                    a.expert.pk,
                    str(a.status),
                    a.shared_with_commune,
                    a.proposed_by_staff,
                    a.motivation,
                    a.screening_notes,
                    a.interview_notes,
                    json.dumps(self.snapshot(a.expert)),
                    moment(a.created_at),
                    moment(a.updated_at),
                )
                for p in plans
                for a in p.applications
            ),
        )
        self.states = Counter(case.state for case in cases)


def generate(
    *, cases: int = 200, experts: int | None = None, seed: int = 42, communes: int | None = None
) -> tuple[Counter, Counter, float]:
    """Generate the data in one transaction; returns the row counts, cases per state and the
    elapsed seconds."""
    started = time.perf_counter()
    experts = cases * 4 if experts is None else experts
    communes = max(10, communes if communes is not None else cases)
    generator = Generator(seed=seed)
    with transaction.atomic():
        counts = generator.run(cases=cases, experts=experts, communes=communes)
    return counts, generator.states, time.perf_counter() - started


def generated_communes():
    """Communes this module generated: their website is on the marker domain."""
    return Commune.objects.filter(website__contains=f".{MARKER_DOMAIN}")


def flush() -> Counter:
    """Delete every generated row, in one transaction and without writing history rows."""
    counts: Counter = Counter()
    communes = generated_communes()
    eois = ExpressionOfInterest.objects.filter(initiating_commune__in=communes)
    cases = Case.objects.filter(eoi__in=eois)
    # Deleting thousands of rows one signal at a time would also write a "deleted" history row
    # for each of them; the generated rows never had any history.
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        for queryset in (
            Mission.objects.filter(case__in=cases),
            cases,
            eois,
            Partnership.objects.filter(german_commune__in=communes),
            communes,
            ExpertProfile.objects.filter(email__endswith=EMAIL_SUFFIX),
            User.objects.filter(email__endswith=EMAIL_SUFFIX),
        ):
            _total, per_model = queryset.delete()
            counts.update({k: v for k, v in per_model.items() if v})
    return counts
