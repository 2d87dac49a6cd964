"""Scheduled runs: the daemon, ``run-due``, the child-process supervisor and source health.

Modules: ``policy`` (due-ness, backoff, health rules), ``child`` (one run in a child
process), ``supervise`` (run a source in a child and record what it could not),
``service`` (the APScheduler daemon), ``rundue`` (the cron mode), ``runlog`` (the
structured run start and end log lines), ``report`` (what ``status`` and ``sources`` show).
Nothing is imported here, so the child side (``runlog``) stays light.
"""
