"""Speak up: complaints through their stages, advocacy, thank yous."""
