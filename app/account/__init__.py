"""Your account: change your password and your language."""
