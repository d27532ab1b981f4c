"""The terminal app (Textual): practitioner, supervisor and ethics-committee views."""
