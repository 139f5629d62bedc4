"""The domain, one package per feature: plain functions that own their transaction.

Pages, the JSON API and the CLI are doors into these packages; a service never reads the
request, never renders a page and never imports a web blueprint.
"""
