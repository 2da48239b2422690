"""Versions over time: git tags to sites, the integrity manifest, change reports."""
