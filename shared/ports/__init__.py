"""Ports: what the pipeline needs from the outside world, as Protocols.

Adapters (``shared/adapters/``) are named after the technology they wrap. Step logic imports only
these Protocols, never an SDK.
"""
