"""Safety: "I don't feel safe" alerts, teams and cover, and reaching staff at once."""
