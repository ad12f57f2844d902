"""Signing in and out, activation codes, leaving quickly."""
