"""The audit trail: officer actions and personal-data access in one append-only log."""
