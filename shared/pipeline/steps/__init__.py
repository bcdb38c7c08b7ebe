"""The pipeline's steps, one module each. ``registry.STEPS`` maps task step names to them."""
