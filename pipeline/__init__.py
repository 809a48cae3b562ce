"""The steps of a night, callable from anywhere: the CLI, the Prefect flows and the web app call these.

Each module is one step (``ingest``, ``check``, ``runs`` …); importing this
package imports none of them, so a caller pays only for the step it uses.
"""
