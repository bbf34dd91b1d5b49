"""The only modules that talk to the outside: Redis, WeChat, QR codes, SMS."""
