"""The ``medshield`` command: a thin shell over the core."""
