"""The notification outbox: rows written with the change, delivered by background jobs."""
