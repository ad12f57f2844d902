"""My people, messages, asking to talk, the worker's inbox and staff cards."""
