"""Channel adapters: thin views that verify, pseudonymise through the service, and render."""
