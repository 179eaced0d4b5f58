"""A load generator for streamed completions (no third-party packages): STREAMS connections at
once, each asking again as soon as its stream ends, for SECONDS; prints tokens/s over all
streams and the time to first token (p50, p99, ms). A token is an event whose choice has
`"finish_reason": null`. Used by Benchmarks/serve-bench.sh.

    python stream_load.py HOST:PORT MODEL STREAMS TOKENS SECONDS
"""
import asyncio
import json
import re
import sys
import time

host, port = sys.argv[1].split(":")
model, streams, tokens, seconds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
body = json.dumps({"model": model, "prompt": "th", "max_tokens": tokens, "temperature": 0.8, "stream": True}).encode()
request = (f"POST /v1/completions HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
token = re.compile(rb'"finish_reason": ?null')
first_times, counts, failures = [], [0], [0]


async def stream(deadline):
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request)
        received, first = b"", None
        while True:
            data = await reader.read(65536)
            if not data:
                break
            received += data
            if first is None and token.search(received):
                first = time.perf_counter() - start
        writer.close()
        n = len(token.findall(received))
        if n != tokens or b"[DONE]" not in received:
            failures[0] += 1
            continue
        counts[0] += n
        first_times.append(first)


async def main():
    start = time.perf_counter()
    await asyncio.gather(*(stream(start + seconds) for _ in range(streams)))
    return time.perf_counter() - start


elapsed = asyncio.run(main())
first_times.sort()
p = lambda q: 1000 * first_times[min(len(first_times) - 1, int(q * len(first_times)))] if first_times else float("nan")
print(f"{counts[0] / elapsed:.0f} {p(0.5):.2f} {p(0.99):.2f} {failures[0]}")
