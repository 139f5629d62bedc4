"""Outgoing mail: composing each message in the attendee's language, the outbox that keeps
it until SMTP takes it, and the absolute links that mails carry."""
