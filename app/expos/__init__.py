"""Township expos: registration, signed QR tickets, the gate, attendance."""
