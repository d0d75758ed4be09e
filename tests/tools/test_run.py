"""``python3 -m workshop run``: the learner's app on the workshop's Flask, on a free port."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from workshop import ROOT
from workshop.cli import run

START_SECONDS = 30
STOP_SECONDS = 5
# The interpreter the venv was made from: `python3 -m workshop` as the learner types it, hops included.
SYSTEM_PYTHON = getattr(sys, "_base_executable", sys.executable)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    """The status and body of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_closed(port):
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline:
        if run.port_is_free(port):
            return
        time.sleep(0.1)
    pytest.fail(f"port {port} is still taken {STOP_SECONDS} s after the stop")


def test_it_serves_the_learners_app_and_a_signal_to_its_pid_stops_it():
    port = free_port()
    with subprocess.Popen(
        [SYSTEM_PYTHON, "-m", "workshop", "run", "--port", str(port)], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    ) as process:
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    status, body = get(f"http://127.0.0.1:{port}/")
                    break
                except OSError:
                    assert process.poll() is None and time.monotonic() < deadline, "the app did not answer"
                    time.sleep(0.2)
            # the starter, or a solved step 1
            assert "TODO step 1" in body if status == 501 else "Hello, Flask!" in body
            process.send_signal(signal.SIGTERM)
            wait_until_closed(port)
            said = process.communicate(timeout=STOP_SECONDS)[0]
            assert "Debug mode: on" in said and f"http://127.0.0.1:{port}" in said
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def handed_over(monkeypatch):
    """The command that ``run`` hands this process over to, instead of running it."""
    commands = []
    monkeypatch.setattr(run, "hand_over", lambda args, cwd: commands.append(args) or 0)
    monkeypatch.delenv("FLASK_RUN_PORT", raising=False)
    return commands


def test_a_taken_port_5000_gives_the_next_free_port_and_says_so(handed_over, monkeypatch, capsys):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        monkeypatch.setattr(run, "FLASK_PORT", port)
        assert run.main([]) == 0
    [command] = handed_over
    assert command[:7] == [sys.executable, "-m", "flask", "--app", "part1_basic_app", "run", "--debug"]
    chosen = int(command[command.index("--port") + 1])
    assert chosen > port
    said = capsys.readouterr().out
    assert f"Port {port} is taken" in said and f"port {chosen} instead" in said


def test_a_port_the_learner_chose_is_left_to_flask(handed_over, capsys):
    run.main(["-p", "8123", "--no-reload"])
    assert handed_over[0][-3:] == ["-p", "8123", "--no-reload"] and handed_over[0].count("--port") == 0
    assert capsys.readouterr().out == ""
