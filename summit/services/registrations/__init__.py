"""Registrations: sign-up with capacity and waiting list, the manage link, the attendee list,
CSV import and export, and erasure. Check-in codes and manage tokens are made here."""

from .signup import (
    CategoryFull,
    DuplicateRegistration,
    RegistrationClosed,
    RegistrationError,
    cancel,
    change_category,
    clean_email,
    confirm_from_waitlist,
    get_by_token,
    personal_data,
    register,
    resend_manage_link,
    set_capacity,
    update_details,
    waitlist_position,
)
