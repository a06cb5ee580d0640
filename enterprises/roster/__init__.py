"""The Excel roster (企业名册): its format, reading and checking a file, the import job, the export and template."""
