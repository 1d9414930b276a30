"""gunicorn settings for the helpline's web processes: `gunicorn -c gunicorn.conf.py`.

`helpline serve` (bot/server.py) runs the same worker class, timeout and logging in code; keep
the two alike. Environment: HELPLINE_BIND, WEB_CONCURRENCY (processes), HELPLINE_THREADS,
FORWARDED_ALLOW_IPS (the TLS proxy's address).
"""

import os

wsgi_app = "bot:create_app()"
bind = os.environ.get("HELPLINE_BIND", "127.0.0.1:8000")
# Processes: about one per core. Threads: webhook requests mostly wait on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("HELPLINE_THREADS", "8"))
worker_class = "gthread"
timeout = 30  # Twilio gives up on a webhook after 15 s; a stuck worker is restarted
graceful_timeout = 30
keepalive = 5  # the TLS proxy reuses connections
# Restart each process now and then, so slow leaks never become outages.
max_requests = 20000
max_requests_jitter = 2000
# Access logs would hold Telegram webhook paths and client addresses: the proxy's are enough.
accesslog = None
errorlog = "-"
# Only the local proxy may tell us the scheme (HELPLINE_PROXY_FIX handles host and client IP).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Each process opens its own database pool after the fork.
preload_app = False
