"""Plans in words and pictures: drafts, versions and what I think."""
