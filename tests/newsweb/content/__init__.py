"""Article text for the news web: hand-written stories and a seeded paragraph generator."""
