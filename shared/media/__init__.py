"""Media a user hands us (images), checked before anything decodes it."""
