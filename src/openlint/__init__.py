"""openlint: a rules-as-code compliance linter for Chinese budget and final-accounts disclosures."""

__version__ = "0.1.0"
