"""solution package."""
