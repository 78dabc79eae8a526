"""The gateway: the ASGI shell of the data service (``medshield serve``)."""
