"""Sending mail: through MAIL_URL (smtp://...) when it is set; nothing is sent otherwise."""
