"""Real Redis and real `flask worker` processes for the job tests."""

import time

import pytest
import redis
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from server.jobs.embedded_redis import EmbeddedRedis
from server.jobs.queue import job_queue
from tests.redis_server import RedisServer, own_redis_url
from tests.workers import WorkerProcess


def wait_until(condition, timeout: float = 20.0, interval: float = 0.1):
    """Poll condition() until it returns something truthy; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def job_running() -> bool:
    """True once a job has really started (its status says so), not only been taken."""
    queue = job_queue()
    taken = StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)
    return any(
        job is not None and job.get_status() == JobStatus.STARTED
        for job in Job.fetch_many(taken, connection=queue.connection)
    )


def flush(url: str) -> None:
    """Empty the Redis database at url."""
    with redis.Redis.from_url(url) as client:
        client.flushdb()


@pytest.fixture(scope="session")
def shared_redis_url(tmp_path_factory):
    """TEST_REDIS_URL (a database of the tests' own), else an embedded Redis for the session."""
    if own_redis_url():
        url = own_redis_url()
        try:
            flush(url)
        except redis.exceptions.ConnectionError as error:
            pytest.exit(f"TEST_REDIS_URL is set but Redis is unreachable: {error}", returncode=3)
        yield url
        flush(url)
        return
    embedded = EmbeddedRedis(tmp_path_factory.mktemp("redis")).start()
    yield embedded.url
    embedded.stop()


@pytest.fixture
def redis_url(shared_redis_url):
    """A flushed Redis database for one test."""
    flush(shared_redis_url)
    yield shared_redis_url
    flush(shared_redis_url)


@pytest.fixture
def queued_app(make_app, redis_url):
    """The app with its queue on the test Redis, and an app context."""
    app = make_app(REDIS_URL=redis_url)
    with app.app_context():
        yield app
    client = app.extensions.get("redis", {}).get("client")
    if client is not None:
        client.close()


@pytest.fixture
def worker_process(queued_app, redis_url):
    """Start workers with extra settings: worker_process(JOB_RESCUE_AFTER=2)."""
    workers = []

    def start(url: str = redis_url, **settings) -> WorkerProcess:
        worker = WorkerProcess(queued_app, url, **settings).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def private_redis():
    """A redis-server of this test's own on a free port, to stop and start; stopped after."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def private_app(make_app, private_redis):
    """The app with its queue on the test's own Redis, and an app context."""
    app = make_app(REDIS_URL=private_redis.url)
    with app.app_context():
        yield app
    client = app.extensions.get("redis", {}).get("client")
    if client is not None:
        client.close()


@pytest.fixture
def private_worker(private_app, private_redis):
    """Start `flask worker` processes on the test's own Redis: private_worker(SETTING=value)."""
    workers = []

    def start(**settings) -> WorkerProcess:
        worker = WorkerProcess(private_app, private_redis.url, **settings).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
