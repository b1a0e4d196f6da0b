"""The plugin contract: manifest schema, discovery, registry, API version."""
