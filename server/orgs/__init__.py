"""Organizations and their sites, as records: the ground that people and every record stand on."""
