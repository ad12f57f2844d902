"""The installable app: manifest, service worker, offline page, install help."""
