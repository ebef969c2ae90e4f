"""gunicorn's settings for Safeloop: `flask serve` and the tests that run gunicorn load this file.

Loaded with `gunicorn --config python:server.gunicorn_conf`; the address and the number of worker
processes are given on the command line (or by gunicorn's own WEB_CONCURRENCY).
"""

# Threads, not one process per request: a phone uploading over a slow network holds a thread, and
# the worker's main thread keeps answering the arbiter's heartbeat however long an upload lasts
# (a sync worker blocked in a read is killed after `timeout` seconds).
worker_class = "gthread"
threads = 4
# A worker that has not reported to the arbiter for this long is killed and replaced.
timeout = 30
# On SIGTERM, requests in flight get this long to finish.
graceful_timeout = 10
keepalive = 5
accesslog = "-"
# gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): a second server on
# the machine would take it over from the first. Safeloop does not use it.
control_socket_disable = True
