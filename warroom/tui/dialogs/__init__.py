"""Modal screens: an event's detail, the help, the exposure window, a downloader in full, a
takedown draft, the new-location form."""
