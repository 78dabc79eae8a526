"""Data elements, their categories and the five security levels."""

from medshield.elements.catalogue import DataElement, ElementCatalogue, load_catalogue
from medshield.elements.categories import CATEGORIES, SCENARIOS, Category, Scenario
from medshield.elements.levels import Level

__all__ = [
    "CATEGORIES",
    "SCENARIOS",
    "Category",
    "DataElement",
    "ElementCatalogue",
    "Level",
    "Scenario",
    "load_catalogue",
]
