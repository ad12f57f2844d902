"""Teams: workers' teams, the duty team and the out-of-hours team, and the manager's view
of how the safety net holds."""
