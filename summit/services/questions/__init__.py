"""An event's own registration questions: the organiser's editor (admin) and the answers
(answers), which the sign-up stores in the registration's transaction."""
