"""Live state of a running pitch session: the run of show (start, next, back, end) that
moderators drive and every screen of the session shows."""
