"""Prefect flows: they only wire the steps of ``pipeline`` (see prefect.yaml)."""
