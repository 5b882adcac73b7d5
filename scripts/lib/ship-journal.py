#!/usr/bin/python3
"""ship-journal.py URL NODE TOKEN DIR [BATCH_BYTES]: sends a journal's frames to the coordinator as an agent's
shipper would (POST /v1/nodes/NODE/records, frames copied out of the segments after their 64-byte header, batches of
whole frames up to BATCH_BYTES, default 4 MiB). Prints "records seconds" on stdout. For scripts/bench-coordinator.sh.
Exit 1 when the coordinator refuses a batch."""
import glob
import os
import struct
import sys
import time
import urllib.request

HEADER = 64


def frames(directory):
    for segment in sorted(glob.glob(os.path.join(directory, "segment-*.qvj"))):
        with open(segment, "rb") as f:
            data = f.read()
        at = HEADER
        while at + 8 <= len(data):
            length = struct.unpack(">i", data[at:at + 4])[0]
            if length <= 0:
                break
            yield data[at:at + 8 + length]
            at += 8 + length


def main():
    url, node, token, directory = sys.argv[1:5]
    limit = int(sys.argv[5]) if len(sys.argv) > 5 else 4 << 20
    count = 0
    batch = []
    size = 0
    started = time.monotonic()

    def send():
        request = urllib.request.Request(f"{url}/v1/nodes/{node}/records", data=b"".join(batch), method="POST",
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/octet-stream"})
        with urllib.request.urlopen(request, timeout=600) as answer:
            if answer.status != 200:
                sys.exit(f"ship-journal: {node}: HTTP {answer.status}: {answer.read()[:300]!r}")

    for frame in frames(directory):
        if size + len(frame) > limit and batch:
            send()
            batch, size = [], 0
        batch.append(frame)
        size += len(frame)
        count += 1
    if batch:
        send()
    print(count, round(time.monotonic() - started, 2))


if __name__ == "__main__":
    main()
