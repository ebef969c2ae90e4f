"""Settings from the environment."""

from flask import request

from server import config, create_app


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    settings = config.from_environment(str(instance), {})
    key_file = instance / "secret_key"
    assert key_file.read_text() == settings["SECRET_KEY"]
    assert len(settings["SECRET_KEY"]) >= 32
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    assert config.from_environment(str(instance), {})["SECRET_KEY"] == settings["SECRET_KEY"]
    assert (
        config.from_environment(str(tmp_path / "other"), {})["SECRET_KEY"] != settings["SECRET_KEY"]
    )


def test_environment_settings_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db.example/x")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/2")
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "m"))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/x"
    assert app.config["REDIS_URL"] == "redis://cache.example:6379/2"
    assert app.config["MEDIA_ROOT"] == str(tmp_path / "m")
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://cache.example:6379/2"
    assert app.config["TRUSTED_PROXIES"] == 0


def test_trusted_proxies_are_read_and_only_their_forwarded_addresses_believed(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    app = create_app({"RATELIMIT_STORAGE_URI": "memory://"})
    assert app.config["TRUSTED_PROXIES"] == 2
    seen = []
    app.before_request(lambda: seen.append(request.remote_addr))
    app.test_client().get(
        "/api/auth/me",
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        headers={"X-Forwarded-For": "127.0.9.9, 127.0.5.5, 127.0.0.2"},
    )
    assert seen == ["127.0.5.5"], "the entries of two proxies are believed, no more"


def test_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/safeloop.db"
