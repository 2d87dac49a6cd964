"""The top layer: the command line, the daemon and the runs they start.

May import every other layer; nothing imports it.
"""
