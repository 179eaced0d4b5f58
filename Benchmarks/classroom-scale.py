#!/usr/bin/env python3
"""A class at scale (README, Classroom; issue 27 §6): N learners connected at once over SSH to
`descent classroom`, each through Debian's OpenSSH client on its own pseudo-terminal (120x40,
xterm-256color), each training a small model at the screen's pace (`data xor`, `model mlp 8`,
`train`), while each types keys at a typist's pace (one every 150-250 ms).

Measured, per learner and over all:
  - keystroke echo: from writing a key into the client's terminal until the key comes back drawn
    on the screen (through ssh, sshd, the workbench's frame and back), its p50 and p99;
  - frame time: each workbench's own frames (tick, render and draw; DESCENT_FRAME_LOG, which
    `descent classroom --frame-logs` turns on in every session), p99 over the measured window;
  - memory: resident memory of each learner's workbench, and of their sshd;
  - CPU: the machine's busy share over the window (/proc/stat).

Usage: Benchmarks/classroom-scale.py [path/to/descent] [--learners 30] [--seconds 30]
As root it serves the class as an ordinary user it makes (a class is never served as root).
"""
import argparse
import fcntl
import os
import pwd
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def cpu_times():
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields), idle


def rss_kib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Learner:
    def __init__(self, name, key, port, user):
        self.name = name
        master, slave = os.openpty()
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
        self.process = subprocess.Popen(
            ["ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
             "-o", "LogLevel=ERROR", "-o", "SendEnv=LANG", "-tt", "-p", str(port), "-i", key, f"{user}@127.0.0.1"],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.lock = threading.Condition()
        self.echoes = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.output += data
                if len(self.output) > 1 << 20:
                    del self.output[: len(self.output) - (1 << 19)]
                self.lock.notify_all()

    def wait_for(self, text, timeout):
        deadline = time.time() + timeout
        with self.lock:
            while text.encode() not in self.output:
                left = deadline - time.time()
                if left <= 0:
                    return False
                self.lock.wait(left)
        return True

    def send(self, text):
        os.write(self.master, text.encode())

    def type_keys(self, until):
        """Types Q and Z in turn; each key's echo time is from the write to the key drawn."""
        keys = 0
        while time.time() < until:
            key = "QZ"[keys % 2].encode()
            with self.lock:
                mark = len(self.output)
                start = time.perf_counter()
                os.write(self.master, key)
                seen = False
                while time.perf_counter() - start < 5:
                    if key in self.output[mark:]:
                        seen = True
                        break
                    self.lock.wait(0.5)
                if seen:
                    self.echoes.append((time.perf_counter() - start) * 1000)
            keys += 1
            if keys % 20 == 0:
                os.write(self.master, b"\x15")   # Ctrl-U: the line stays short
            time.sleep(random.uniform(0.15, 0.25))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("descent", nargs="?", default=".build/release/descent")
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    descent = os.path.realpath(args.descent)
    run_as = []
    user = pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        user = "descent-class-test"
        subprocess.run(["id", user], capture_output=True).returncode == 0 or \
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", user], check=True)
        subprocess.run(["usermod", "-aG", "tty", user], check=True)
        run_as = ["runuser", "-u", user, "--"]
    work = tempfile.mkdtemp(prefix="descent-scale-")
    os.chmod(work, 0o755)
    if run_as:
        shutil.chown(work, user)
    cls = os.path.join(work, "class")
    subprocess.run(run_as + [descent, "classroom", "init", cls], check=True, capture_output=True)
    keys = os.path.join(work, "keys")
    os.mkdir(keys)
    names = [f"l{i:02d}" for i in range(args.learners)]
    for name in names:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", f"{keys}/{name}"], check=True)
        os.chmod(f"{keys}/{name}.pub", 0o644)
        subprocess.run(run_as + [descent, "classroom", "add", cls, name, f"{keys}/{name}.pub"], check=True, capture_output=True)
    os.chmod(keys, 0o755)
    server = subprocess.Popen(run_as + [descent, "classroom", cls, "--listen", "127.0.0.1:0", "--serve-ports", "31000",
                                        "--per-address", "100000", "--frame-logs"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    learners = []
    try:
        listening = os.path.join(cls, ".classroom", "listening")
        for _ in range(200):
            if os.path.exists(listening) and open(listening).read().strip():
                break
            time.sleep(0.05)
        port = int(open(listening).read().strip().rsplit(":", 1)[1])
        started = time.time()
        for name in names:
            learners.append(Learner(name, f"{keys}/{name}", port, user))
        ready = [l.wait_for("descent>", 120) for l in learners]
        login_seconds = time.time() - started
        if not all(ready):
            print(f"classroom-scale: {ready.count(False)} of {len(learners)} learners never got a prompt")
            return 1
        for l in learners:
            l.send("data xor\r")
            l.send("model mlp 8\r")
            l.send("train epochs=100000\r")
        for l in learners:
            l.wait_for("training", 60)
        time.sleep(3)
        pids = subprocess.run(["pgrep", "-f", f"classroom session {cls}"], capture_output=True, text=True).stdout.split()
        # Each connection's sshd is a child of the class's own process (sshd renames itself once a
        # learner is in, so it is found by its parent).
        servers = subprocess.run(["pgrep", "-f", f"classroom {cls} --listen"], capture_output=True, text=True).stdout.split()
        sshds = [c for p in servers for c in subprocess.run(["pgrep", "-P", p], capture_output=True, text=True).stdout.split()]
        sshds = [p for p in sshds if p not in pids and "sshd" in open(f"/proc/{p}/comm").read()]
        window_start_ms = time.time() * 1000
        busy0 = cpu_times()
        until = time.time() + args.seconds
        typists = [threading.Thread(target=l.type_keys, args=(until,)) for l in learners]
        for t in typists:
            t.start()
        rss = []
        while time.time() < until:
            rss = [rss_kib(p) for p in pids]
            time.sleep(1)
        for t in typists:
            t.join()
        busy1 = cpu_times()
        window_end_ms = time.time() * 1000
        sshd_rss = [rss_kib(p) for p in sshds]
        for l in learners:
            l.send("\x15quit\r")
        deadline = time.time() + 30
        for l in learners:
            try:
                l.process.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                l.process.kill()
        frames = {}
        for name in names:
            path = os.path.join(cls, "learners", name, ".descent", "frames.log")
            for _ in range(50):
                if os.path.exists(path):
                    break
                time.sleep(0.1)
            times = []
            if os.path.exists(path):
                for line in open(path):
                    ended, us = line.split()
                    if window_start_ms <= int(ended) <= window_end_ms:
                        times.append(int(us) / 1000)
            frames[name] = times
        echoes = [e for l in learners for e in l.echoes]
        all_frames = [f for times in frames.values() for f in times]
        worst_echo = max(percentile(l.echoes, 0.99) for l in learners)
        worst_frame = max(percentile(t, 0.99) for t in frames.values())
        total = busy1[0] - busy0[0]
        busy = 100 * (1 - (busy1[1] - busy0[1]) / total) if total else float("nan")
        print(f"| learners | logins | keys typed | echo p50 | echo p99 (worst learner) | frames | frame p99 (worst learner) "
              f"| memory per learner (workbench + sshd) | CPU busy |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(f"| {len(learners)} | {login_seconds:.1f} s | {len(echoes)} | {percentile(echoes, 0.5):.1f} ms "
              f"| {percentile(echoes, 0.99):.1f} ms ({worst_echo:.1f}) | {len(all_frames)} "
              f"| {percentile(all_frames, 0.99):.1f} ms ({worst_frame:.1f}) "
              f"| {sum(rss) / max(len(rss), 1) / 1024:.0f} + {sum(sshd_rss) / max(len(sshd_rss), 1) / 1024:.0f} MiB | {busy:.0f} % |")
        print(f"bench classroom learners={len(learners)} echo_p99_ms={percentile(echoes, 0.99):.1f} "
              f"frame_p99_ms={percentile(all_frames, 0.99):.1f} rss_mib={sum(rss) / max(len(rss), 1) / 1024:.0f} cpu_busy={busy:.0f}")
        return 0
    finally:
        for l in learners:
            if l.process.poll() is None:
                l.process.kill()
        subprocess.run(["pkill", "-TERM", "-f", f"classroom {cls} --listen"])
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
