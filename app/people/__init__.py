"""People: making accounts, the form that adds a young person, and who lives with and
works with whom."""
