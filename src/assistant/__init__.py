"""Assistant d'écriture local pour les notes des travailleurs sociaux."""

__version__ = "0.1.0"
