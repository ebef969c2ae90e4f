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
# The common log format, then the request's duration in milliseconds: a slow answer shows as such.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): a second server on
# the machine would take it over from the first. Safeloop does not use it.
control_socket_disable = True


def post_worker_init(worker):
    """Load the vocabularies before the first request: reading a report's words (risk
    suggestions, an officer's override) would otherwise make that request wait a second."""
    import time

    from server.language import terms

    started = time.perf_counter()
    terms.warm()
    worker.log.info("Vocabularies loaded in %.2f s", time.perf_counter() - started)
