"""medshield: the data-security platform of a medical alliance's data hub."""

__version__ = "0.1.0"
