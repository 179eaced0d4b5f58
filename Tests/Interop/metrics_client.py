"""prometheus_client's own text parser reads `descent serve`'s /metrics, and its counters move
as requests are made.

Usage: metrics_client.py HOST:PORT
"""
import json
import sys
import urllib.request
from importlib.metadata import version

from prometheus_client.parser import text_string_to_metric_families

address = sys.argv[1]


def requests_answered():
    text = urllib.request.urlopen(f"http://{address}/metrics").read().decode()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert families["descent_http_request_duration_seconds"].type == "histogram", families.keys()
    return sum(s.value for s in families["descent_http_requests"].samples
               if s.name == "descent_http_requests_total" and s.labels["endpoint"] == "/v1/predict")


before = requests_answered()
for _ in range(5):
    urllib.request.urlopen(urllib.request.Request(f"http://{address}/v1/predict",
                                                  data=json.dumps({"inputs": [[5.1, 3.5, 1.4, 0.2]]}).encode())).read()
after = requests_answered()
assert after == before + 5, (before, after)
print("metrics: prometheus_client", version("prometheus_client"), "parses /metrics; the request counter moved by 5")
