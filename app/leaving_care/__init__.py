"""Leaving care: the local offer and the health passport."""
