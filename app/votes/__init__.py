"""Votes: suggestions, one vote each, results and adopting the winner."""
