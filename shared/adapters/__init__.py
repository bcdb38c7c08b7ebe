"""Adapters: each port's implementations, named after the technology they wrap.

Cloud SDKs are imported inside the adapter modules that need them, never here.
"""
