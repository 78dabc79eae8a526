"""The synthetic alliance: institutions, their HIS databases, realistic Chinese data, ground truth."""

from medshield.synth.alliance import build_alliance
from medshield.synth.ground_truth import TruthRow, read_ground_truth
from medshield.synth.manifest import AllianceManifest

__all__ = ["AllianceManifest", "TruthRow", "build_alliance", "read_ground_truth"]
