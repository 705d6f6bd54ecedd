"""Restarts a server under load the way systemd's socket activation does, and prints what the
clients saw as JSON, for server/tests/it/connections.rs to check: the listening socket is made
and kept here (as `deploy/multibao-embed.socket` has systemd keep it) and handed to each process
as fd 3 with LISTEN_FDS=1; the process is stopped with SIGTERM (as `systemctl restart` does) and
another started, twice, while clients ask in a loop over new connections.

With --through-nginx, the clients ask through an nginx in front of the socket, as the unit and
the shipped site run it (tests/e2e/deploy.test.mjs starts that nginx): the script first prints
{"upstream": "HOST:PORT"}, the socket's address, then reads nginx's address on a line of its
standard input; the clients then alternate a probe (`/healthz`, which nginx does not keep) and a
beacon (a POST, which nginx does not retry on another connection), each answered by the server.

usage: restart_check.py SERVER DB [--through-nginx]
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time


def start(server, db, listening):
    os.dup2(listening.fileno(), 3)
    environment = dict(os.environ, LISTEN_FDS="1", RUST_LOG="warn")
    return subprocess.Popen(
        [server, "--db", db, "serve", "--sync-interval", "0"],
        pass_fds=(3,),
        env=environment,
        stdout=subprocess.DEVNULL,
    )


BEACON = json.dumps({"resource": "exemples-repair-cafe", "element": "card", "event": "display"})


def main():
    server, db = sys.argv[1], sys.argv[2]
    through_nginx = "--through-nginx" in sys.argv[3:]
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen(1024)
    port = listening.getsockname()[1]
    process = start(server, db, listening)
    host, asked_port = "127.0.0.1", port
    if through_nginx:
        print(json.dumps({"upstream": f"127.0.0.1:{port}"}), flush=True)
        address = sys.stdin.readline().strip().removeprefix("http://").rstrip("/")
        host, asked_port = address.rsplit(":", 1)[0], int(address.rsplit(":", 1)[1])
    answered, failed, statuses = [0], [], {}
    stop = threading.Event()

    def ask():
        turn = 0
        while not stop.is_set():
            turn += 1
            try:
                connection = http.client.HTTPConnection(host, asked_port, timeout=20)
                if not through_nginx:
                    connection.request("GET", "/api/v1/resources?limit=5")
                elif turn % 2:
                    connection.request("GET", "/healthz")
                else:
                    headers = {"Content-Type": "text/plain;charset=UTF-8"}
                    connection.request("POST", "/api/v1/beacon", body=BEACON, headers=headers)
                status = connection.getresponse().status
                connection.close()
                statuses[status] = statuses.get(status, 0) + 1
                answered[0] += 1
            except Exception as error:  # a refused or reset connection is what is counted
                failed.append(repr(error))

    # The first answer says the server is up.
    for _ in range(200):
        try:
            socket.create_connection((host, asked_port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    clients = [threading.Thread(target=ask) for _ in range(4)]
    for client in clients:
        client.start()
    restarts = []
    for _ in range(2):
        time.sleep(1.5)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        process = start(server, db, listening)
        restarts.append(round(time.monotonic() - started, 3))
    time.sleep(1.5)
    stop.set()
    for client in clients:
        client.join()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    print(json.dumps({"answered": answered[0], "failed": failed[:5], "failures": len(failed), "statuses": statuses, "restarts": restarts}))


if __name__ == "__main__":
    main()
