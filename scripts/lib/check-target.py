"""The benchmark's real servers: one process listening on PORTS ports of one address, answering every connection.

A connection that sends a request gets "HTTP/1.0 200 OK" and "ok"; one that sends nothing is closed when the peer
closes it (TCP_CHECK). Every accepted connection is timestamped per (peer address, port); on SIGTERM it writes, per
peer, the probes per second and the lateness of check periods (interval between two probes of one port minus the
period) as JSON to the file given. One epoll loop, no threads: the server must not be what makes checks late.
usage: check-target.py ADDRESS FIRST_PORT PORTS PERIOD_SECONDS OUT_JSON
"""
import json
import selectors
import signal
import socket
import sys
import time

address, first, count, period, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
selector = selectors.EpollSelector()
arrivals = {}
started = time.monotonic()
RESPONSE = b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"

for port in range(first, first + count):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(64)
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ, ("listen", port))


def summary():
    result = {}
    for peer, ports in arrivals.items():
        late = []
        probes = 0
        for times in ports.values():
            probes += len(times)
            late.extend(max(0.0, b - a - period) for a, b in zip(times, times[1:]))
        late.sort()
        pick = lambda q: round(late[min(len(late) - 1, int(q * len(late)))] * 1000, 1) if late else None
        elapsed = time.monotonic() - started
        result[peer] = {"ports": len(ports), "probes": probes, "probes_per_s": round(probes / elapsed, 1),
                        "lateness_ms_p50": pick(0.50), "lateness_ms_p99": pick(0.99),
                        "lateness_ms_max": pick(1.0)}
    with open(out, "w") as f:
        json.dump(result, f)
    sys.exit(0)


signal.signal(signal.SIGTERM, lambda *_: summary())
while True:
    for key, _ in selector.select():
        kind, port = key.data
        if kind == "listen":
            try:
                conn, peer = key.fileobj.accept()
            except BlockingIOError:
                continue
            arrivals.setdefault(peer[0], {}).setdefault(port, []).append(time.monotonic())
            conn.setblocking(False)
            selector.register(conn, selectors.EVENT_READ, ("conn", port))
        else:
            conn = key.fileobj
            try:
                data = conn.recv(4096)
            except (ConnectionError, BlockingIOError):
                data = b""
            if data:
                try:
                    conn.send(RESPONSE)
                except OSError:
                    pass
            selector.unregister(conn)
            conn.close()
