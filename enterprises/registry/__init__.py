"""The registry: the enterprise itself, its tier history and contacts, the USCC check, the public notice board."""
