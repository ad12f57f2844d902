"""Carers' and workers' pages: the caseload, a young person, adding a young person."""
