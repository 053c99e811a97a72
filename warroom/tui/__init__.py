"""The Textual console (a face): screens, widgets, app.tcss. Services never import this."""
