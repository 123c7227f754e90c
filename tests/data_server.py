"""A local HTTP server for the download tests: files from a folder, on 127.0.0.1 only.

Nothing in the suite reaches the internet: the downloads are pointed at this server as their
mirror (`<mirror>/<dataset name>/<file>`).
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from model.datasets.downloads import REMOTE_DATASETS, RemoteDataset
from resources import resource_path

EMBEDDED = {
    "images": "mnist-t10k-images-idx3-ubyte.gz",
    "labels": "mnist-t10k-labels-idx1-ubyte.gz",
}


class _QuietHandler(SimpleHTTPRequestHandler):
    gate: threading.Event | None = None

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):  # noqa: N802 - the base class's name
        if self.gate is not None:
            self.gate.wait(30)  # a test holds the answer back until it has acted
        super().do_GET()


@contextmanager
def serving(folder: Path, gate: threading.Event | None = None):
    """Serve `folder` over HTTP on 127.0.0.1; yields the base URL. With a `gate`, every answer
    waits until the gate is set."""
    handler = type("Handler", (_QuietHandler,), {"gate": gate})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def mirror_of_embedded(root: Path, name: str = "mnist-full", n: int | None = None) -> RemoteDataset:
    """Put the embedded MNIST test files under all four names of `name` in `root/name`
    (train-* and t10k-* alike), or, with `n`, their first n images and labels (quicker to
    load); return a RemoteDataset pinned to the SHA-256 of the files written."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for file in REMOTE_DATASETS[name].files:
        kind = "images" if "images" in file else "labels"
        data = resource_path(EMBEDDED[kind]).read_bytes()
        if n is not None:
            data = gzip.compress(_first(gzip.decompress(data), n, kind), mtime=0)
        (folder / file).write_bytes(data)
        files[file] = (hashlib.sha256(data).hexdigest(), len(data))
    real = REMOTE_DATASETS[name]
    return RemoteDataset(name, real.title, real.base_url, files, real.credit)


def _first(idx: bytes, n: int, kind: str) -> bytes:
    """The first n items of an IDX images (16-byte header) or labels (8-byte) file."""
    header, item = (16, 28 * 28) if kind == "images" else (8, 1)
    return idx[:4] + n.to_bytes(4, "big") + idx[8:header] + idx[header : header + n * item]
