"""The ground layer: records, errors, configuration, URLs and schedules.

Imports nothing else of newsdedup; every other layer may import it.
"""
