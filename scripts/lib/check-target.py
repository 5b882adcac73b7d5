"""The benchmark's real servers: one process listening on PORTS ports of one address, answering every connection.

A connection that sends a request gets "HTTP/1.0 200 OK" and "ok"; one that sends nothing is closed when the peer
closes it (TCP_CHECK). Every accepted connection is timestamped per (peer address, port); on SIGUSR2 (or SIGTERM,
which also ends it) it writes, per peer, the probes per second and the lateness of check periods (interval between
two probes of one port minus the period; after the mark also the worst of each second of the window) as JSON to the
file given, once; after SIGUSR2 it goes on answering.
SIGUSR1 marks the start of the measured window: from then on only probes in the window are counted, and only
periods that end in it, so a checker's start (its first wave of connections) is left out for every checker alike;
without the mark, probes per second count from the peer's first probe. One epoll loop, no threads, on select.epoll
itself (the selectors module adds objects and calls per event, and an unregister per connection that
the close makes needless): the server must not be what makes checks late. The benchmark reports its CPU beside the
checkers', so a saturated server shows.
usage: check-target.py ADDRESS FIRST_PORT PORTS PERIOD_SECONDS OUT_JSON
"""
import json
import select
import signal
import socket
import sys
import time

address, first, count, period, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
epoll = select.epoll()
arrivals = {}
RESPONSE = b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
listeners = {}
connections = {}

for port in range(first, first + count):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(256)
    listener.setblocking(False)
    listeners[listener.fileno()] = (listener, port)
    epoll.register(listener.fileno(), select.EPOLLIN)


window_start = None


def mark(*_):
    global window_start
    window_start = time.monotonic()


def summary():
    global written
    if written:
        return
    written = True
    result = {}
    now = time.monotonic()
    for peer, ports in arrivals.items():
        late = []
        # The worst lateness of the periods that ended in each second of the window: a stall of the checker (a
        # collection, a scrape) shows as the seconds it made late.
        worst_by_second = []
        probes = 0
        first = now
        for times in ports.values():
            counted = times if window_start is None else [t for t in times if t >= window_start]
            if counted:
                first = min(first, counted[0])
            probes += len(counted)
            for a, b in zip(times, times[1:]):
                if window_start is None or b >= window_start:
                    late.append(max(0.0, b - a - period))
                    if window_start is not None:
                        second = int(b - window_start)
                        worst_by_second.extend([0.0] * (second + 1 - len(worst_by_second)))
                        worst_by_second[second] = max(worst_by_second[second], late[-1])
            # A period still open at the end is late by at least its overrun: a port the checker stopped probing
            # must not drop out of the figures.
            if times and now - times[-1] > period:
                late.append(now - times[-1] - period)
        late.sort()
        pick = lambda q: round(late[min(len(late) - 1, int(q * len(late)))] * 1000, 1) if late else None
        elapsed = now - (first if window_start is None else window_start)
        result[peer] = {"ports": len(ports), "probes": probes, "probes_per_s": round(probes / max(elapsed, 1e-3), 1),
                        "lateness_ms_p50": pick(0.50), "lateness_ms_p99": pick(0.99),
                        "lateness_ms_max": pick(1.0),
                        "lateness_ms_max_by_second": [round(w * 1000, 1) for w in worst_by_second]}
    with open(out, "w") as f:
        json.dump(result, f)


def stop(*_):
    summary()
    sys.exit(0)


written = False
signal.signal(signal.SIGTERM, stop)
# SIGUSR2 ends the measured window and writes the figures, and the server goes on answering: the checker's own
# counters are read after it, while its real servers are still up.
signal.signal(signal.SIGUSR2, lambda *_: summary())
signal.signal(signal.SIGUSR1, mark)
monotonic = time.monotonic
while True:
    for fd, _ in epoll.poll():
        listening = listeners.get(fd)
        if listening is not None:
            listener, port = listening
            while True:
                try:
                    conn, peer = listener.accept()
                except (BlockingIOError, ConnectionAbortedError):
                    break
                arrivals.setdefault(peer[0], {}).setdefault(port, []).append(monotonic())
                conn.setblocking(False)
                connections[conn.fileno()] = conn
                epoll.register(conn.fileno(), select.EPOLLIN)
            continue
        conn = connections.pop(fd)
        try:
            data = conn.recv(4096)
        except (ConnectionError, BlockingIOError):
            data = b""
        if data:
            try:
                conn.send(RESPONSE)
            except OSError:
                pass
        # Closing the socket takes it out of the epoll set: no unregister call needed.
        conn.close()
