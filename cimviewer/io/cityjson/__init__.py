"""CityJSON 1.x/2.0 and CityJSONSeq: reading into array-based city models."""
