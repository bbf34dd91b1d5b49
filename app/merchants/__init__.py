"""Merchant shops and who works in them."""
