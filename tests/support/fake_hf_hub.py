#!/usr/bin/env python3
"""A stand-in for the Hugging Face hub on 127.0.0.1, for QiD Lab's tests.

Standard library only. It serves, from a fixture folder the test writes:

  GET  /api/models/{org}/{name}/revision/{rev}   -> {"sha", "siblings": [{"rfilename"}]}
  HEAD/GET /{org}/{name}/resolve/{rev}/{path}    -> small files: 200 + ETag (git blob id)
                                                    LFS files: 302 to /cdn/{sha256} with
                                                    X-Linked-Etag / X-Linked-Size
  HEAD/GET /cdn/{sha256} (on localhost:PORT)     -> the bytes, with Range support

Fixture layout:
  ROOT/repos/{org}/{name}/refs.json              {"main": COMMIT, "step1": COMMIT, ...}
  ROOT/repos/{org}/{name}/commits/{COMMIT}/...   the files of each commit
  ROOT/repos/{org}/{name}/token                  optional: require "Bearer <token>"
  ROOT/faults.json                               optional, re-read on every request:
      [{"id": "a", "match": "/cdn/", "method": "GET", "kind": "status", "status": 503,
        "times": 2}, ...]
      kinds: status (answer `status`), truncate (send `bytes` bytes of the body, then
      drop the connection), corrupt (flip the first byte of the body), slow (send
      `chunk` bytes every `delay` seconds). `times` (default 1; -1 forever) counts
      per id.
  ROOT/requests.log                              one line per request, appended:
      "METHOD PATH range=R auth=yes|no"

Files ending in .safetensors, .bin, .pt or .pth are LFS files. The server prints
"PORT n" on stdout once it listens on a free port, and stops by itself when its
parent process is gone, after --idle-seconds without requests, after
--max-seconds in all, or after --max-requests requests.
"""
import argparse
import hashlib
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LFS_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")


class State:
    def __init__(self, root):
        self.root = root
        self.lock = threading.Lock()
        self.used = {}
        self.requests = 0
        self.last_request = time.monotonic()

    def take_fault(self, method, path):
        try:
            with open(os.path.join(self.root, "faults.json")) as f:
                faults = json.load(f)
        except (OSError, ValueError):
            return None
        with self.lock:
            for fault in faults:
                if fault.get("match", "") not in path:
                    continue
                if fault.get("method") and fault["method"] != method:
                    continue
                key = fault.get("id", json.dumps(fault, sort_keys=True))
                times = fault.get("times", 1)
                if times >= 0 and self.used.get(key, 0) >= times:
                    continue
                self.used[key] = self.used.get(key, 0) + 1
                return fault
        return None

    def log(self, line):
        with self.lock:
            self.requests += 1
            self.last_request = time.monotonic()
            with open(os.path.join(self.root, "requests.log"), "a") as f:
                f.write(line + "\n")


def git_blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def repo_dir(root, org, name):
    return os.path.join(root, "repos", org, name)


def resolve_commit(rdir, rev):
    try:
        with open(os.path.join(rdir, "refs.json")) as f:
            refs = json.load(f)
    except (OSError, ValueError):
        refs = {}
    if rev in refs:
        return refs[rev]
    if os.path.isdir(os.path.join(rdir, "commits", rev)) and len(rev) == 40:
        return rev
    return None


def list_files(cdir):
    out = []
    for base, _dirs, files in os.walk(cdir):
        for fn in files:
            out.append(os.path.relpath(os.path.join(base, fn), cdir).replace(os.sep, "/"))
    return sorted(out)


def find_lfs_blob(root, sha):
    for base, _dirs, files in os.walk(os.path.join(root, "repos")):
        for fn in files:
            if fn.endswith(LFS_SUFFIXES):
                p = os.path.join(base, fn)
                with open(p, "rb") as f:
                    data = f.read()
                if hashlib.sha256(data).hexdigest() == sha:
                    return data
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1.0"

    def log_message(self, fmt, *args):  # quiet
        pass

    @property
    def state(self):
        return self.server.state

    def do_HEAD(self):
        self.handle_any("HEAD")

    def do_GET(self):
        self.handle_any("GET")

    def handle_any(self, method):
        try:
            self.route(method)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (killed or cancelled)

    def route(self, method):
        raw = urllib.parse.urlsplit(self.path).path
        auth = self.headers.get("Authorization", "")
        rng = self.headers.get("Range", "-")
        self.state.log("%s %s range=%s auth=%s" % (method, raw, rng, "yes" if auth else "no"))
        fault = self.state.take_fault(method, raw)
        if fault and fault.get("kind") == "status":
            return self.send_plain(int(fault.get("status", 500)), "injected failure", method)
        parts = raw.split("/")[1:]
        if raw.startswith("/api/models/") and len(parts) >= 6 and parts[4] == "revision":
            return self.api_revision(method, parts[2], parts[3], urllib.parse.unquote("/".join(parts[5:])), auth)
        if len(parts) >= 5 and parts[2] == "resolve":
            rev = urllib.parse.unquote(parts[3])
            path = urllib.parse.unquote("/".join(parts[4:]))
            return self.resolve(method, parts[0], parts[1], rev, path, auth, fault)
        if len(parts) == 2 and parts[0] == "cdn":
            data = find_lfs_blob(self.state.root, parts[1])
            if data is None:
                return self.send_plain(404, "no such blob", method)
            return self.send_bytes(method, data, {"ETag": '"%s"' % parts[1]}, fault, ranged=True)
        return self.send_plain(404, "unknown path", method)

    def check_repo(self, method, org, name, auth):
        rdir = repo_dir(self.state.root, org, name)
        if not os.path.isdir(rdir):
            self.send_plain(404, "Repository not found", method, {"X-Error-Code": "RepoNotFound"})
            return None
        tfile = os.path.join(rdir, "token")
        if os.path.exists(tfile):
            with open(tfile) as f:
                token = f.read().strip()
            if auth != "Bearer " + token:
                self.send_plain(401, "Access to this repo is restricted", method,
                                {"X-Error-Code": "GatedRepo"})
                return None
        return rdir

    def api_revision(self, method, org, name, rev, auth):
        rdir = self.check_repo(method, org, name, auth)
        if rdir is None:
            return
        commit = resolve_commit(rdir, rev)
        if commit is None:
            return self.send_plain(404, "Invalid rev id: " + rev, method, {"X-Error-Code": "RevisionNotFound"})
        files = list_files(os.path.join(rdir, "commits", commit))
        body = json.dumps({"id": org + "/" + name, "modelId": org + "/" + name, "sha": commit,
                           "private": os.path.exists(os.path.join(rdir, "token")),
                           "siblings": [{"rfilename": f} for f in files]}).encode()
        self.send_bytes(method, body, {"Content-Type": "application/json"}, None)

    def resolve(self, method, org, name, rev, path, auth, fault):
        rdir = self.check_repo(method, org, name, auth)
        if rdir is None:
            return
        commit = resolve_commit(rdir, rev)
        if commit is None:
            return self.send_plain(404, "Invalid rev id", method, {"X-Error-Code": "RevisionNotFound"})
        fpath = os.path.join(rdir, "commits", commit, *path.split("/"))
        if ".." in path.split("/") or not os.path.isfile(fpath):
            return self.send_plain(404, "Entry not found", method,
                                   {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit})
        with open(fpath, "rb") as f:
            data = f.read()
        if path.endswith(LFS_SUFFIXES):
            sha = hashlib.sha256(data).hexdigest()
            # The "CDN" is another origin (localhost rather than 127.0.0.1), as
            # on the real hub, so clients must not forward the token there.
            port = self.server.server_address[1]
            headers = {"Location": "http://localhost:%d/cdn/%s" % (port, sha), "X-Repo-Commit": commit,
                       "X-Linked-Etag": '"%s"' % sha, "X-Linked-Size": str(len(data)),
                       "ETag": '"%s"' % git_blob_id(b"pointer " + sha.encode())}
            return self.send_plain(302, "", method, headers)
        headers = {"ETag": 'W/"%s"' % git_blob_id(data), "X-Repo-Commit": commit}
        self.send_bytes(method, data, headers, fault)

    def send_plain(self, status, text, method, headers=None):
        body = text.encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def send_bytes(self, method, data, headers, fault, ranged=False):
        start = 0
        status = 200
        rng = self.headers.get("Range")
        if ranged and rng and rng.startswith("bytes="):
            first, _, last = rng[6:].partition("-")
            start = int(first or 0)
            end = int(last) if last else len(data) - 1
            if start >= len(data):
                return self.send_plain(416, "range not satisfiable", method,
                                       {"Content-Range": "bytes */%d" % len(data)})
            headers = dict(headers, **{"Content-Range": "bytes %d-%d/%d" % (start, end, len(data))})
            data = data[start:end + 1]
            status = 206
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method == "HEAD":
            return
        kind = fault.get("kind") if fault else None
        if kind == "corrupt" and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        if kind == "truncate":
            self.wfile.write(data[:int(fault.get("bytes", len(data) // 2))])
            self.wfile.flush()
            self.close_connection = True
            return
        if kind == "slow":
            chunk = int(fault.get("chunk", 4096))
            delay = float(fault.get("delay", 0.05))
            for i in range(0, len(data), chunk):
                self.wfile.write(data[i:i + chunk])
                self.wfile.flush()
                time.sleep(delay)
            return
        self.wfile.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--parent-pid", type=int, default=0)
    ap.add_argument("--max-seconds", type=float, default=300)
    ap.add_argument("--idle-seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=5000)
    args = ap.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(os.path.abspath(args.root))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    print("PORT %d" % server.server_address[1], flush=True)
    started = time.monotonic()
    while True:
        time.sleep(0.1)
        now = time.monotonic()
        if args.parent_pid and os.getppid() != args.parent_pid:
            break
        if now - started > args.max_seconds or now - server.state.last_request > args.idle_seconds:
            break
        if server.state.requests >= args.max_requests:
            break
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
