"""What every feature stands on: user accounts and API tokens, the audit log, backups,
the demo event and the event's colour theme."""
