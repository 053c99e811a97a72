"""Checklists: the response procedure's task templates, and the work on each person."""
