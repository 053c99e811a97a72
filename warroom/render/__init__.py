"""Rendering: `text` says an event in plain words (no rich, so exports can use it);
`console` builds the rich renderables the command line and the console share."""
