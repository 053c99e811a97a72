"""Warroom: a terminal war-room console for responding to a personal-data exposure."""

__version__ = "0.1.0"
