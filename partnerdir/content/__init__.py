"""The first stages of the pipeline: load a content folder, validate every file, check it whole."""
