"""Consumer complaints (12315-style): intake, routing, a life cycle with legal deadlines."""
