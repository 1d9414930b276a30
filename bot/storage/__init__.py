"""Storage: the database, models, migrations and the queries the service uses."""
