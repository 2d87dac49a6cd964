"""A deterministic generator of plausible local-news stories: same seed, same story.

Sentences are assembled from short phrases (a few words each) drawn independently,
so two generated stories rarely share a run of five words: unrelated generated
articles stay far apart under word-shingle MinHash, as unrelated real news does,
while one seed always gives the same text on every machine.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from newsweb.content.story import Story

__all__ = ["TOPICS", "Topic", "generate_story", "slugify"]

_FIRST = (
    "Andriy", "Olena", "Taras", "Iryna", "Mykola", "Sofia", "Petro", "Kateryna", "Yusuf",
    "Leyla", "Marek", "Agnieszka", "Tomas", "Ingrid", "Farid", "Noor", "Viktor", "Halyna",
    "Bohdan", "Oksana", "Daniel", "Miriam", "Arman", "Zarina", "Pavlo", "Nadia", "Omar",
    "Lina", "Stefan", "Maja", "Roman", "Alina", "Karim", "Dilnoza", "Jonas", "Emilia",
)
_LAST = (
    "Kovalenko", "Shevchuk", "Bondar", "Melnyk", "Tkachuk", "Hrytsenko", "Aydin", "Demir",
    "Nowak", "Kowalczyk", "Berg", "Lindahl", "Haddad", "Rahimi", "Sarsenbayev", "Usmanova",
    "Petrenko", "Oliynyk", "Savchenko", "Moroz", "Kravets", "Lysenko", "Yilmaz", "Novak",
    "Horvath", "Dumitru", "Popescu", "Ivanova", "Karimov", "Nurlanova", "Fischer", "Sauer",
)
_CITIES = (
    "Lviv", "Odesa", "Kharkiv", "Dnipro", "Vinnytsia", "Poltava", "Chernihiv", "Rivne",
    "Uzhhorod", "Ternopil", "Almaty", "Karaganda", "Shymkent", "Izmir", "Bursa", "Gdansk",
    "Lublin", "Kaunas", "Tartu", "Brno", "Cluj", "Varna", "Tbilisi", "Batumi",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
_DISTRICTS = ("northern", "southern", "eastern", "western", "central", "riverside", "old town")


@dataclass(frozen=True, slots=True)
class Topic:
    """Vocabulary of one beat: what its stories are about and what happens to it."""

    tag: str
    things: tuple[str, ...]
    orgs: tuple[str, ...]
    roles: tuple[str, ...]
    titles: tuple[str, ...]
    events: tuple[str, ...]
    reasons: tuple[str, ...]


TOPICS: dict[str, Topic] = {
    "transport": Topic(
        "Transport",
        ("tram line", "ring road", "bus depot", "railway bridge", "cycle lane network",
         "river ferry", "airport terminal", "night bus service"),
        ("city transport department", "regional railway company", "municipal bus operator",
         "airport authority", "road maintenance agency"),
        ("head", "chief engineer", "spokesperson", "deputy director"),
        ("{City} to rebuild its {thing} by {year}",
         "Work on {city}'s {thing} falls {small} weeks behind schedule",
         "{City} commuters face detours as {thing} closes for repairs",
         "New {thing} opens in {city} after {num} months of work"),
        ("would close for repairs", "reopened to traffic", "carried fewer passengers",
         "needed new rails", "was redesigned twice", "got new timetables",
         "lost its main contractor", "passed a safety inspection"),
        ("corroded supports", "a shortage of asphalt", "a dispute over land",
         "heavy spring rains", "a court ruling", "missing permits"),
    ),
    "energy": Topic(
        "Energy",
        ("heating plant", "solar park", "substation", "gas pipeline", "wind farm",
         "battery storage site", "district heating network", "hydro dam"),
        ("regional energy company", "grid operator", "city heating utility",
         "energy ministry", "national regulator"),
        ("director", "spokesperson", "chief executive", "board member"),
        ("{City} {thing} back online after {num}-hour outage",
         "Grid operator warns of evening power limits in {city} region",
         "{City} signs deal for {money} million {thing}",
         "Winter heating plan for {city} relies on new {thing}"),
        ("went offline overnight", "was connected to the grid", "doubled its output",
         "needed new transformers", "ran on backup generators", "was hit by a drone",
         "cut evening supply", "raised its tariffs"),
        ("a fault in old cables", "record evening demand", "delayed equipment deliveries",
         "an attack on the network", "a cold snap", "low water levels"),
    ),
    "city": Topic(
        "City",
        ("park", "market hall", "public library", "swimming pool", "housing block",
         "playground", "embankment", "city hall"),
        ("city council", "mayor's office", "district administration", "heritage board",
         "housing cooperative"),
        ("deputy mayor", "chair", "spokesperson", "head of planning"),
        ("{City} council votes to restore historic {thing}",
         "Residents oppose plan to sell {city} {thing} to developer",
         "{City} reopens {thing} after {num}-month renovation",
         "Audit finds overspending on {city}'s new {thing}"),
        ("was sold to a developer", "reopened after renovation", "got a new roof",
         "was listed as a monument", "lost its last tenants", "was fenced off",
         "drew hundreds of visitors", "went over budget"),
        ("rising building costs", "protests by residents", "a change of architect",
         "an unfinished audit", "a broken tender", "pressure from heritage experts"),
    ),
    "culture": Topic(
        "Culture",
        ("theatre", "film festival", "art museum", "philharmonic orchestra", "book fair",
         "jazz festival", "puppet theatre", "photography exhibition"),
        ("culture ministry", "city culture department", "festival board",
         "museum foundation", "writers' union"),
        ("artistic director", "curator", "festival director", "chair"),
        ("{City} {thing} returns with {num} events this season",
         "Record crowds at {city} {thing} despite air raid alerts",
         "{City} {thing} opens show of {num} rescued works",
         "Young audiences fill {city} {thing} as tickets sell out"),
        ("sold out its opening night", "moved to a basement hall", "added extra dates",
         "lost two foreign guests", "opened a children's programme", "won a national prize",
         "toured three other cities", "cut ticket prices"),
        ("air raid alerts", "strong demand", "a generous private donor",
         "security concerns", "a smaller budget", "a new director"),
    ),
    "economy": Topic(
        "Economy",
        ("flour mill", "furniture factory", "logistics hub", "software park", "steel plant",
         "food processing plant", "shipyard", "textile workshop"),
        ("regional investment office", "chamber of commerce", "employers' association",
         "economy ministry", "tax service"),
        ("head", "analyst", "chair", "deputy minister"),
        ("{City} {thing} to hire {num}0 workers after expansion",
         "Exporters in {city} region report {pct} percent rise in orders",
         "Investor pledges {money} million for {city} {thing}",
         "Labour shortage slows {city} {thing}, owners say"),
        ("won a large export order", "moved from the east", "hired new staff",
         "bought new machinery", "cut its night shift", "raised wages",
         "opened a training centre", "paid record taxes"),
        ("a shortage of workers", "queues at the border", "cheaper loans",
         "a new trade agreement", "unstable power supply", "higher fuel prices"),
    ),
    "health": Topic(
        "Health",
        ("children's hospital", "maternity ward", "rehabilitation centre", "blood bank",
         "mobile clinic", "dental practice", "cancer unit", "ambulance station"),
        ("regional health department", "hospital board", "health ministry",
         "medical university", "patients' association"),
        ("chief doctor", "director", "spokesperson", "head of surgery"),
        ("{City} {thing} gets new equipment worth {money} million",
         "Waiting times fall at {city} {thing} after staff return",
         "Doctors at {city} {thing} warn of medicine shortages",
         "{City} opens {thing} for {num}0 patients a day"),
        ("received a new scanner", "hired six nurses", "ran short of antibiotics",
         "treated more patients", "opened a night service", "renovated its wards",
         "trained volunteer medics", "got a backup generator"),
        ("a foundation's donation", "staff shortages", "a flu outbreak",
         "longer waiting lists", "new state funding", "patients from the front line"),
    ),
    "education": Topic(
        "Education",
        ("secondary school", "kindergarten", "vocational college", "university campus",
         "school shelter", "music school", "sports academy", "language centre"),
        ("education department", "school board", "university senate", "teachers' union",
         "parents' council"),
        ("head teacher", "rector", "spokesperson", "chair"),
        ("{City} {thing} reopens with underground classrooms",
         "{Num} pupils return to {city} {thing} for lessons in person",
         "Teachers in {city} demand higher pay as {thing} staff leave",
         "{City} {thing} adds evening classes for adults"),
        ("returned to lessons in person", "built an underground shelter",
         "lost several teachers", "started evening classes", "received new laptops",
         "doubled its intake", "held exams in the basement", "joined an exchange programme"),
        ("frequent air raid alerts", "low salaries", "help from a partner school",
         "a new state programme", "parents' donations", "an overcrowded building"),
    ),
    "agriculture": Topic(
        "Agriculture",
        ("grain terminal", "dairy farm", "orchard", "irrigation canal", "seed cooperative",
         "sunflower crop", "greenhouse complex", "wheat harvest"),
        ("farmers' union", "agriculture ministry", "regional agrarian council",
         "grain traders' association", "land registry"),
        ("head", "agronomist", "spokesperson", "chair"),
        ("{City} region farmers expect {pct} percent bigger {thing}",
         "Demining lets {city} farmers return to {num} hectares",
         "Late frost damages {thing} near {city}",
         "Cooperative in {city} region wins order for {num} tonnes"),
        ("lost part of its harvest", "bought new combines", "returned to cleared fields",
         "stored its grain", "found new buyers", "hired seasonal workers",
         "tested new seed varieties", "paid more for diesel"),
        ("a late frost", "low grain prices", "mined fields", "expensive shipping",
         "a wet spring", "a state loan guarantee"),
    ),
}

# Short interchangeable phrases. Keeping each piece to a few words means a five-word
# shingle nearly always spans two independent draws.
_OPENERS = (
    "", "", "", "On {weekday}, ", "Earlier this week, ", "In {month}, ", "Late on {weekday}, ",
    "Last year, ", "So far, ", "By {month}, ", "In the {district} district, ",
    "Meanwhile, ", "Separately, ", "According to local media, ",
)
_SUBJECTS = (
    "the {org}", "{person}, {role} of the {org},", "officials in {city}",
    "a spokesperson for the {org}", "residents of the {district} district",
    "local business owners", "the city council", "{surname}", "independent experts",
    "volunteers in {city}", "the regional governor", "critics of the plan",
)
_VERBS = (
    "said", "told reporters", "announced", "confirmed", "warned", "wrote online",
    "told a briefing", "said in a statement", "insisted", "estimated", "noted", "argued",
)
_SUBJECT_NOUNS = (
    "the {thing}", "the {thing} in {city}", "the new {thing}", "the city's {thing}",
    "the old {thing}", "the {district} {thing}", "the town's second {thing}",
    "the local {thing}",
)
_TAILS = (
    "", "", "", " because of {reason}", " after {reason}", " despite {reason}",
    ", citing {reason}", " this spring", " within {small} weeks", " for the first time",
    " by the end of {month}", " earlier than planned", " at a cost of {money} million hryvnias",
    ", affecting about {num}0 people", ", up {pct} percent on last year",
    " with help from {city2}",
)
_FACTS = (
    "{subject} has {num}0 employees", "about {num},000 people use the {thing} each week",
    "the project costs {money} million hryvnias", "{pct} percent of the budget is spent",
    "the {thing} dates from {old_year}", "repairs last took place in {old_year}",
    "{small} similar projects failed in {city2}", "the deadline is {month} {year}",
)
_QUOTE_A = (
    "We cannot wait for better times", "Nobody here wants another delay",
    "People deserve honest answers", "This is what the city needs",
    "We have done this before", "The numbers speak for themselves",
    "It is not perfect", "Our teams work around the clock",
    "There is no simple solution", "Everyone has to do their part",
)
_QUOTE_B = (
    "and we will keep going", "but the risks are real", "so we ask for patience",
    "and residents will see results", "though money is tight",
    "and we will publish every figure", "even if it takes longer",
    "because the winter will not wait",
)
_QUOTE_VERBS = ("said", "told us", "added", "wrote", "said on {weekday}")
_BACKGROUNDS = (
    "{City} has about {num}0,000 inhabitants.",
    "The {org} was founded in {old_year}.",
    "The {thing} was last rebuilt in {old_year}.",
    "The region lies about {num}0 kilometres from the front line.",
    "A full report is due in {month}.",
    "The next council session is on {weekday}.",
    "{Person} has held the post since {old_year}.",
)

_SLOTS = re.compile(r"\{(\w+)\}")


def slugify(text: str, max_words: int = 9) -> str:
    """A URL slug: lower-case ASCII words joined by hyphens (non-Latin text gives 'story')."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:max_words]) or "story"


class _Writer:
    """Fills phrases for one story: a fixed cast (city, person, subject) and fresh numbers."""

    def __init__(self, rng: random.Random, topic: Topic) -> None:
        self.rng = rng
        self.topic = topic
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        cities = rng.sample(_CITIES, 2)
        self.cast = {
            "city": cities[0],
            "city2": cities[1],
            "person": f"{first} {last}",
            "surname": last,
            "thing": rng.choice(topic.things),
            "org": rng.choice(topic.orgs),
            "role": rng.choice(topic.roles),
            "year": str(rng.randint(2026, 2029)),
        }
        self.told: set[str] = set()
        # Slots drawn afresh at each use (numbers, days...), unlike the cast above.
        self._fresh: dict[str, Callable[[], str]] = {
            "num": lambda: str(rng.randint(12, 95)),
            "small": lambda: str(rng.randint(2, 9)),
            "pct": lambda: str(rng.randint(4, 38)),
            "money": lambda: f"{rng.randint(3, 240)}.{rng.randint(1, 9)}",
            "old_year": lambda: str(rng.randint(1958, 2019)),
            "weekday": lambda: rng.choice(_WEEKDAYS),
            "month": lambda: rng.choice(_MONTHS),
            "district": lambda: rng.choice(_DISTRICTS),
            "reason": lambda: rng.choice(topic.reasons),
            "subject": lambda: self.fill(rng.choice(_SUBJECT_NOUNS)),
        }

    def fill(self, frame: str) -> str:
        return _SLOTS.sub(self._value, frame)

    def _value(self, match: re.Match[str]) -> str:
        name = match.group(1)
        key = name.lower()
        text = self.cast.get(key)
        if text is None:
            make = self._fresh.get(key)
            if make is None:
                raise KeyError(f"unknown slot {{{name}}} in {match.string!r}")
            text = make()
        return text[:1].upper() + text[1:] if name[:1].isupper() else text

    def _capital(self, text: str) -> str:
        return text[:1].upper() + text[1:]

    def report(self) -> str:
        rng = self.rng
        opener = rng.choice(_OPENERS)
        subject = rng.choice(_SUBJECTS)
        clause = f"{rng.choice(_SUBJECT_NOUNS)} {self._event()}{rng.choice(_TAILS)}"
        text = f"{opener}{subject} {rng.choice(_VERBS)} that {clause}."
        return self._capital(self.fill(text))

    def fact(self) -> str:
        return self._capital(self.fill(f"{self.rng.choice(_FACTS)}."))

    def _event(self) -> str:
        # Each thing that happens is told once per story while fresh ones remain.
        fresh = [event for event in self.topic.events if event not in self.told]
        event = self.rng.choice(fresh or list(self.topic.events))
        self.told.add(event)
        return event

    def quote(self) -> str:
        rng = self.rng
        speaker = rng.choice(("{person}", "{surname}", "one resident", "a local official"))
        text = f"\"{rng.choice(_QUOTE_A)}, {rng.choice(_QUOTE_B)},\" {speaker} {rng.choice(_QUOTE_VERBS)}."
        return self.fill(text)

    def sentence(self) -> str:
        kind = self.rng.choices(("report", "fact", "quote", "background"), (6, 2, 1, 1))[0]
        if kind == "report":
            return self.report()
        if kind == "fact":
            return self.fact()
        if kind == "quote":
            return self.quote()
        return self.fill(self.rng.choice(_BACKGROUNDS))


_TOPIC_NAMES = tuple(sorted(TOPICS))


def generate_story(seed: int, *, topic: str | None = None, key: str | None = None,
                   min_paragraphs: int = 5, max_paragraphs: int = 8,
                   head_only: bool = False) -> Story:
    """A plausible local-news story determined entirely by ``seed``.

    ``topic`` is one of :data:`TOPICS` (default: chosen by the seed). The story keeps one
    city, person and subject throughout; paragraphs hold one to three sentences and
    never repeat each other. ``head_only`` stops after the first paragraph (about ten
    times faster): title, author, tags and first paragraph are those of the full story.
    """
    rng = random.Random(seed)
    beat = TOPICS[topic or rng.choice(_TOPIC_NAMES)]
    writer = _Writer(rng, beat)
    author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    title = writer.fill(rng.choice(beat.titles))
    title = title[:1].upper() + title[1:]
    paragraphs: list[str] = [writer.report()]
    seen = set(paragraphs)
    count = 1 if head_only else rng.randint(min_paragraphs, max_paragraphs)
    while len(paragraphs) < count:
        paragraph = " ".join(writer.sentence() for _ in range(rng.randint(1, 3)))
        if paragraph not in seen:
            seen.add(paragraph)
            paragraphs.append(paragraph)
    return Story(
        key=key or f"gen-{seed}",
        title=title,
        paragraphs=tuple(paragraphs),
        authors=(author,),
        tags=(beat.tag, writer.cast["city"]),
    )
