"""Client load for the director fail-over lab test, run inside the lab client's namespace (stdlib only).

Usage: http_load.py HOST SECONDS KEPT_ALIVE
- KEPT_ALIVE connections are opened first; each sends GET / every 100 ms on the same TCP connection until the end.
  A connection whose request fails (reset, timeout, closed) is counted broken and not reopened.
- Meanwhile one loop sends GET / on a new connection every 20 ms and counts answers and failures.
Bounded in time (SECONDS) and in requests; prints one JSON object on stdout.
"""
import http.client
import json
import sys
import threading
import time

host, seconds, kept = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
start = time.monotonic()
deadline = start + seconds
TIMEOUT = 1.0


def get(conn):
    conn.request("GET", "/")
    response = conn.getresponse()
    return response.read().decode().strip()


def kept_alive(index, results):
    conn = http.client.HTTPConnection(host, 80, timeout=TIMEOUT)
    servers, requests = [], 0
    try:
        while time.monotonic() < deadline:
            body = get(conn)
            requests += 1
            if not servers or servers[-1] != body:
                servers.append(body)
            time.sleep(0.1)
        results[index] = {"survived": True, "requests": requests, "servers": servers}
    except Exception as e:  # any failure breaks the connection for good: what the test counts
        results[index] = {"survived": False, "requests": requests, "servers": servers,
                          "broke_at_s": round(time.monotonic() - start, 2), "error": type(e).__name__}


def new_connections(summary):
    answers, failures = {}, []
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, 80, timeout=TIMEOUT)
            body = get(conn)
            conn.close()
            answers[body] = answers.get(body, 0) + 1
        except Exception as e:
            failures.append({"at_s": round(time.monotonic() - start, 2), "error": type(e).__name__})
        time.sleep(0.02)
    summary["answers"] = answers
    summary["failures"] = failures


kept_results = [None] * kept
threads = [threading.Thread(target=kept_alive, args=(i, kept_results)) for i in range(kept)]
fresh = {}
threads.append(threading.Thread(target=new_connections, args=(fresh,)))
for t in threads:
    t.start()
for t in threads:
    t.join(seconds + 10)
print(json.dumps({"kept_alive": kept_results, "new_connections": fresh}), flush=True)
