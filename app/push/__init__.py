"""Reminders: devices, preferences, the notification centre and delivery."""
