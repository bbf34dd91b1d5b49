"""Administrative divisions (行政区划)."""
