"""Point clouds: LAS / LAZ / COPC files (laspy with the lazrs backend)."""
