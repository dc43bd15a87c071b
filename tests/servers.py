"""
Servers the tests and the benchmarks run as subprocesses (the demo, the course preview):
a free port, and one way to start a command, wait until it answers, and stop it.
"""

import contextlib
import socket
import subprocess
import time
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(command, port, workdir, env, *, startup=60, name="the server"):
    """
    Run ``command`` (listening on ``port``) in ``workdir``, its output in ``server.log``
    there; yield (base URL, process) once "/" answers. A server that stops or stays silent
    for ``startup`` seconds fails with its log. Stopped at the end.
    """
    log_path = workdir / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + startup
        try:
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=5).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{name} did not start:\n{log_path.read_text()}") from None
                    time.sleep(0.3)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
