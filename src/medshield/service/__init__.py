"""The data service behind the gateway (R5, R21-R25, R34): who may call which API, patient
consent, releasing records masked and checked, traffic. The ASGI shell (``gateway/``) only
translates HTTP to these calls."""
