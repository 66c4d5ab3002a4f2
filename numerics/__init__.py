"""numerics package."""
