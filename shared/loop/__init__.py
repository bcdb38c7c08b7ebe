"""The feedback loop: export creatives to the ad platforms, take their reports back through
webhooks, and learn which angles, hooks and creatives win (issue 6)."""
