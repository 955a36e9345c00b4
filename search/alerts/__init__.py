"""Saved searches: matching new articles, webhook deliveries, Atom feeds."""
