"""Concerns and feedback, themes, escalations and the commissioner feedback reports."""
