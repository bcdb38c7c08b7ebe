"""The pipeline: steps on a step runner that makes an at-least-once queue safe."""
