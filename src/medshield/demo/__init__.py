"""The guided tour: builds the synthetic alliance and shows each capability at work."""

from medshield.demo.runner import DemoContext, DemoStep, run_demo

__all__ = ["DemoContext", "DemoStep", "run_demo"]
