"""
``python -m lamap_xblocks.demo [--host H] [--port P]``: prepare the workbench database,
then serve the demo. ``make workbench`` runs this; ``lamap-course preview`` serves a
course the same way (``run_server``).
"""

import argparse
import os
import sys


def run_server(host, port, label, prepare=None):
    """
    Migrate the database of the configured settings, call ``prepare()`` (when given), then
    run Django's development server on ``host:port`` (no reloader) until Ctrl+C. ``label``
    names the server in the line that gives its address.
    """
    from django.core.management import execute_from_command_line  # pylint: disable=import-outside-toplevel
    from django.core.servers.basehttp import WSGIServer  # pylint: disable=import-outside-toplevel

    # runserver listens with a backlog of 10 connections: a class submitting at once would
    # see "connection reset". The demo stands for a course page, so let connections queue.
    WSGIServer.request_queue_size = 256
    execute_from_command_line([sys.argv[0], "migrate", "--run-syncdb", "--verbosity", "0"])
    if prepare is not None:
        prepare()
    print(f"{label}: http://{host}:{port}/  (Ctrl+C stops it)", flush=True)
    execute_from_command_line([sys.argv[0], "runserver", "--noreload", f"{host}:{port}"])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lamap_xblocks.demo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lamap_xblocks.demo.settings")
    run_server(args.host, args.port, "lamap-xblocks demo")


if __name__ == "__main__":
    main()
