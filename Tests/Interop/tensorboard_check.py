"""The `tensorboard` package reads the logs Descent wrote (`log tensorboard`, `export
tensorboard`): every scalar at every step equals the run's own history (`export metrics` CSV),
each layer's weight and gradient histograms are there, the set-up is a text, and the hparams
plugin finds the set-up, the run's end and the experiment.

Usage: tensorboard_check.py LOG_DIR RUN_FOLDER METRICS.csv LR [--exported]
"""
import csv
import math
import sys
from importlib.metadata import version

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

logdir, run, metrics_csv, lr = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
exported = "--exported" in sys.argv
rows = list(csv.DictReader(open(metrics_csv)))
acc = EventAccumulator(run, size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
acc.Reload()
tags = acc.Tags()
metric = [c for c in rows[0] if c.startswith("val_") and c != "val_loss"][0]


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


for column in ["loss", "val_loss", metric, "lr"]:
    events = acc.Scalars(column)
    steps = [e.step for e in events]
    assert steps == [int(r["update"]) for r in rows], (column, steps, [r["update"] for r in rows])
    for e, r in zip(events, rows):
        assert close(e.value, float(r[column])), (column, e.step, e.value, r[column])
histograms = tags["histograms"]
assert histograms and all(h.endswith(("/weights", "/gradients", ".w", ".b")) for h in histograms), histograms
for tag in histograms:
    h = acc.Histograms(tag)[-1].histogram_value
    assert h.num > 0 and len(h.bucket) == len(h.bucket_limit) and sum(h.bucket) == h.num, (tag, h)
setup = acc.Tensors("setup")[0].tensor_proto.string_val[0].decode()
assert "seed " in setup and "data " in setup, setup

content = acc.PluginTagToContent("hparams")
start = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_start_info"]).session_start_info
assert close(start.hparams["lr"].number_value, lr), start.hparams["lr"]
assert start.hparams["model"].string_value and start.hparams["data"].string_value, start
end = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_end_info"]).session_end_info
assert end.status == 1, end
root = EventAccumulator(logdir)
root.Reload()
experiment = plugin_data_pb2.HParamsPluginData.FromString(root.PluginTagToContent("hparams")["_hparams_/experiment"]).experiment
assert {h.name for h in experiment.hparam_infos} >= {"lr", "model", "data"}, experiment
print(f"tensorboard {version('tensorboard')}: {'exported' if exported else 'logged'} run: {len(rows)} epochs of loss, val_loss, "
      f"{metric} and lr equal the run's history at every step; {len(histograms)} histograms; set-up text; hparams")
