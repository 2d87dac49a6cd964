"""Recurring templated stories (daily markets, weather): the same words, new numbers each day.

They are the hard negatives of syndication clustering: two days of one series share
most of their text, yet they are different stories and must never be merged.
"""

from __future__ import annotations

import random
from datetime import datetime

from newsweb.content.story import Story

__all__ = ["markets_report", "weather_report"]

_CONDITIONS = (
    ("cloudy weather with short showers", "Showers are likely in the afternoon."),
    ("clear skies", "No precipitation is expected."),
    ("variable cloud", "Light rain is possible in the evening."),
    ("overcast skies and drizzle", "Rain will continue for most of the day."),
    ("sunny weather", "It will stay dry."),
)
_WINDS = ("north-westerly", "westerly", "south-easterly", "easterly", "northerly")


def _moved(rng: random.Random) -> tuple[str, str]:
    change = rng.randint(3, 190) / 100
    return ("rose" if rng.random() < 0.5 else "fell"), f"{change:.2f}"


def markets_report(day: datetime, seed: int) -> Story:
    """The daily Gulf markets wrap for ``day``; ``seed`` draws its numbers."""
    rng = random.Random(seed)
    saudi, saudi_pct = _moved(rng)
    dubai, dubai_pct = _moved(rng)
    qatar, qatar_pct = _moved(rng)
    kuwait, kuwait_pct = _moved(rng)
    brent = rng.randint(6100, 8400) / 100
    cents = rng.randint(5, 140)
    weekday = day.strftime("%A")
    return Story(
        key=f"markets-{day:%Y-%m-%d}",
        title=f"Gulf markets close mixed as Brent trades at ${brent:.2f}",
        authors=("MENA Feed markets desk",),
        tags=("Markets", "Oil"),
        paragraphs=(
            f"Stock markets in the Gulf ended {weekday}'s session mixed, with the Saudi benchmark index {saudi} {saudi_pct} percent to {rng.randint(10800, 12600):,} points while Dubai's main index {dubai} {dubai_pct} percent.",
            f"Brent crude futures were trading at ${brent:.2f} a barrel at the close, {cents} cents {'higher' if rng.random() < 0.5 else 'lower'} on the day, as traders weighed fresh supply figures from producers.",
            f"In Qatar, the main index {qatar} {qatar_pct} percent, led by banking shares, while Kuwait's premier market index {kuwait} {kuwait_pct} percent.",
            f"Gold was at ${rng.randint(2280, 2450):,} an ounce and the dollar index stood at {rng.randint(9700, 10600) / 100:.2f}.",
            f"Analysts said volumes were {rng.choice(('lighter', 'heavier', 'close to'))} than average ahead of central bank decisions due next week.",
        ),
    )


def weather_report(day: datetime, seed: int) -> Story:
    """Kyiv's weather forecast for ``day``; ``seed`` draws the numbers and the sky."""
    rng = random.Random(seed)
    condition, precipitation = rng.choice(_CONDITIONS)
    low = rng.randint(14, 21)
    return Story(
        key=f"weather-{day:%Y-%m-%d}",
        title=f"Kyiv weather for {day:%B} {day.day}: {condition}, up to {low + rng.randint(3, 8)} degrees",
        authors=("Kyiv Daily",),
        tags=("Weather",),
        paragraphs=(
            f"Kyiv will see {condition} on {day:%A}, {day:%B} {day.day}, with daytime temperatures of {low} to {low + rng.randint(3, 8)} degrees Celsius and {low - rng.randint(4, 9)} degrees at night, according to the national weather centre.",
            f"Winds will be {rng.choice(_WINDS)}, {rng.randint(2, 5)}-{rng.randint(6, 12)} metres per second. {precipitation}",
            f"In the west of the country temperatures will reach {rng.randint(15, 26)} degrees, while the south can expect up to {rng.randint(22, 33)} degrees.",
            f"Forecasters advised drivers to take care on wet roads in the morning and said the weekend would be {rng.choice(('warmer', 'cooler', 'similar'))}.",
        ),
    )
