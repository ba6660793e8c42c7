"""Pure builders: domain objects in, documents out; one helper serializes."""
