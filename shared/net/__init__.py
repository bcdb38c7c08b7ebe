"""Outbound network access that user input can steer (asset URLs): checked, pinned, bounded."""
