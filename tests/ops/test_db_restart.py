"""A PostgreSQL restart seen by a running app server: 503 during the outage, never 500, and
service again within seconds once the database is back, without restarting the app.

The machine's PostgreSQL is not restarted: a TCP proxy stands between gunicorn and the database,
and "restarting" is the proxy dropping every connection and refusing new ones (its port is
closed, as PostgreSQL's is while it restarts). gunicorn runs the production settings (DEBUG off,
persistent connections with health checks) against the test database, whose rows are committed
before it starts (transactional test).
"""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from apps.akun import services as akun_services

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
WORKERS = 2
# Bounds of each phase, in seconds: the whole test stays under 30 s even on a busy machine
# (about 5 s on a quiet one).
BOOT_S, OUTAGE_S, RECOVERY_S = 15, 8, 5

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="the restart test runs against PostgreSQL; this run uses SQLite"),
    pytest.mark.django_db(transaction=True),
]


class RestartingProxy:
    """Forwards 127.0.0.1:<port> to the database. ``outage()`` closes the port and every
    connection through it; ``restore()`` opens the same port again."""

    def __init__(self, upstream):
        self.upstream = upstream  # (host, port) or a Unix socket path
        self.port = None
        self.connections = set()
        self.lock = threading.Lock()
        self.listener = None
        self.accepting = None
        self.restore()

    def restore(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        self.accepting = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self.accepting.start()

    def outage(self):
        self._close(self.listener)
        self.accepting.join(timeout=5)
        with self.lock:
            dropped = list(self.connections)
            self.connections.clear()
        for sock in dropped:
            self._close(sock)
        return len(dropped)

    stop = outage

    @staticmethod
    def _close(sock):
        # shutdown() wakes a thread blocked in accept()/recv() on the socket; close() alone may not.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def _dial(self):
        if isinstance(self.upstream, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.connect(self.upstream)
        return sock

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the port was closed: outage or stop
            try:
                server = self._dial()
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with self.lock:
                    self.connections.discard(sock)
                self._close(sock)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def upstream_of(settings_dict):
    host, port = settings_dict.get("HOST") or "", int(settings_dict.get("PORT") or 5432)
    if not host or host.startswith("/"):
        return f"{host or '/var/run/postgresql'}/.s.PGSQL.{port}"
    return (host, port)


class Server:
    """gunicorn with the production settings against the proxied database."""

    def __init__(self, db_port, log_path):
        source = connection.settings_dict
        user = source.get("USER") or ""
        if source.get("PASSWORD"):
            user += f":{source['PASSWORD']}"
        self.port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.ops.server_settings",
            "DATABASE_URL": f"postgres://{user}@127.0.0.1:{db_port}/{source['NAME']}",
            "CONN_MAX_AGE": "60",
            "DEBUG": "0",
            # The test's own key: the session cookie made here must be valid there.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.log = open(log_path, "w+")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own server
            [
                sys.executable,
                "-m",
                "gunicorn",
                "asnkarier.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={WORKERS}",
                "--timeout=20",
                "--graceful-timeout=2",
                "--log-level=info",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def get(self, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            response.read()
            return response.status
        except (ConnectionError, http.client.RemoteDisconnected):
            return None
        finally:
            conn.close()

    def wait_until_up(self, deadline):
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.output()}"
            if self.get("/health/") == 200:
                return
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer /health/ with 200 in time:\n{self.output()}")

    def output(self, tail=5000):
        """The end of gunicorn's log (its access log and errors), for failure messages."""
        self.log.flush()
        self.log.seek(0)
        text = self.log.read()
        return text[-tail:] if tail else text

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def test_the_app_answers_503_while_postgresql_restarts_and_recovers_by_itself(org, persona, tmp_path):
    started = time.monotonic()

    browser = Client()
    browser.force_login(persona.staf_bkpsdm)
    page_headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"}
    _token, key = akun_services.token_create(actor=persona.superuser, user=persona.staf_bkpsdm, name="uji restart")
    api_headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
    probes = {
        "health": ("/health/", {}),
        "page": ("/pegawai/", page_headers),
        "api": ("/api/v1/pegawai/?page_size=5", api_headers),
    }

    def statuses(rounds):
        # Several rounds, so that every worker answers (and, before the outage, keeps a
        # connection open: CONN_MAX_AGE).
        out = {name: [] for name in probes}
        for _ in range(rounds):
            for name, (path, headers) in probes.items():
                out[name].append(server.get(path, headers))
        return out

    proxy = RestartingProxy(upstream_of(connection.settings_dict))
    server = Server(proxy.port, tmp_path / "gunicorn.log")
    try:
        server.wait_until_up(started + BOOT_S)
        before = statuses(rounds=3 * WORKERS)
        assert before == {name: [200] * 3 * WORKERS for name in probes}, server.output()

        dropped = proxy.outage()
        assert dropped >= 2, "the workers held persistent connections to drop"
        outage_started = time.monotonic()
        during = statuses(rounds=2 * WORKERS)
        assert during == {name: [503] * 2 * WORKERS for name in probes}, server.output()
        # Refused connections fail at once: no worker hangs on the dead database.
        assert time.monotonic() - outage_started < OUTAGE_S
        time.sleep(max(0.0, 2 - (time.monotonic() - outage_started)))

        proxy.restore()
        restored_at = time.monotonic()
        while True:
            after = statuses(rounds=WORKERS)
            if all(code == 200 for codes in after.values() for code in codes):
                break
            assert all(code in (200, 503) for codes in after.values() for code in codes), after
            assert time.monotonic() - restored_at < RECOVERY_S, f"still failing after the database came back: {after}"
            time.sleep(0.2)
        assert statuses(rounds=2 * WORKERS) == {name: [200] * 2 * WORKERS for name in probes}

        # The same server all along: no worker was killed and booted again.
        assert server.process.poll() is None
        assert server.output(tail=None).count("Booting worker") == WORKERS, server.output()
    finally:
        server.stop()
        proxy.stop()
