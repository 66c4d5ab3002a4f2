"""derivations package."""
