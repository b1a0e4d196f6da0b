"""A test plugin with one contribution of every kind."""
