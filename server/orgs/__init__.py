"""Organizations and their sites."""
