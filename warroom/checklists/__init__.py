"""The checklists: the thousands of small steps that must not slip.

- `tasks`: incident tasks from templates (`data/tasks.toml`), due relative to T0;
- `notify`, `holds`, `contact`: state machines per person (notification, removal hold) and per
  downloader (contact), as data (`machine.Machine`), applied one event a person, in batches;
- `filters` and `people`: the roster selection the command line and the console share, read
  redacted, revealed only with a reason that is journaled;
- `channels`: the ways to reach a person, and the refusal of any consular one.
"""
