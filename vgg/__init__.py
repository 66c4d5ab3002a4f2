"""vgg package."""
