"""The manager's pages: people, accounts, relationships, resets and teams."""
