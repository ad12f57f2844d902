"""Each person's home page, help, and the health check."""
