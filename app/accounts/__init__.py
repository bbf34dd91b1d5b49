"""Accounts: villagers (WeChat), console users (password), tokens."""
