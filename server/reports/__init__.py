"""Reports: field observations made on phones, with their photos."""
