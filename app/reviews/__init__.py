"""Reviews: the next review, getting ready, booking and recording."""
