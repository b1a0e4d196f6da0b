"""Project files (.cimproj): schema, migrations, paths, save/open, autosave."""
