"""gunicorn's settings for Safeloop: `flask serve` and the tests that run gunicorn load this file.

Loaded with `gunicorn --config python:server.gunicorn_conf`; the address and the number of worker
processes are given on the command line (or by gunicorn's own WEB_CONCURRENCY).
"""

# Threads, not one process per request: a phone uploading over a slow network holds a thread, and
# the worker's main thread keeps answering the arbiter's heartbeat however long an upload lasts
# (a sync worker blocked in a read is killed after `timeout` seconds).
worker_class = "gthread"
# A new connection holds a thread for up to 5 s until its first bytes arrive (gunicorn 24 and
# later), and browsers open connections ahead of need: with 4 threads a few idle ones delayed real
# requests by seconds. Each upload may take PHOTO_DECODE_MEMORY_MB to decode, so threads times
# workers times that is the ceiling of the web's decoding memory.
threads = 8
# A worker that has not reported to the arbiter for this long is killed and replaced.
timeout = 30
# On SIGTERM, requests in flight get this long to finish.
graceful_timeout = 10
keepalive = 5
accesslog = "-"
# gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): a second server on
# the machine would take it over from the first. Safeloop does not use it.
control_socket_disable = True
