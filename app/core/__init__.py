"""Shared building blocks: errors, database helpers, auth, schemas."""
