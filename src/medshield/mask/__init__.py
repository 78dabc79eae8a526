"""Element-based masking: operators, the dictionary, plans, engines, privacy models."""
