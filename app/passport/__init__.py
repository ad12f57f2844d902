"""The Passport to Independence: skills, steps and sign-off."""
