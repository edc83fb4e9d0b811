"""Windows, views, the Qt item model and background workers."""
