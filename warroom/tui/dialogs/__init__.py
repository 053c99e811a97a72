"""Modal screens: an event's detail, the help."""
