"""Reading and checking a dossier: the schema, the loaders, validation and its diagnostics."""
