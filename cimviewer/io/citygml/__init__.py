"""CityGML 2.0/3.0: streaming reader into array-based city models."""
