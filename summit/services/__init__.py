"""Domain logic: plain functions, no request, no templates; each owns its transaction."""
