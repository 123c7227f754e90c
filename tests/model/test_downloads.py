"""The full datasets' downloads, against a local HTTP server (nothing reaches the internet)."""

from __future__ import annotations

import gzip
import hashlib
import re

import numpy as np
import pytest

from model import DatasetError, load_dataset
from model.datasets import downloads
from model.datasets.downloads import (
    MIRROR_ENV,
    REMOTE_DATASETS,
    DownloadCancelled,
    DownloadError,
    cache_folder,
    download,
    downloaded_names,
    file_urls,
    is_downloaded,
    mirror_base,
)
from resources import resource_path
from tests.data_server import EMBEDDED, closed_port_url, mirror_of_embedded, serving

# The published MD5s of the uncompressed t10k files (the loaders' own check, resources/CREDITS.md).
T10K_RAW_MD5 = {
    "images": "2646ac647ad5339dbf082846283269ea",
    "labels": "27ae3e4e09519cfbb04c329615203637",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The first 500 embedded t10k images under every MNIST file name (mnist-full), and the
    whole embedded files (fashion-mnist: no entry of the real table is theirs), on 127.0.0.1."""
    root = tmp_path_factory.mktemp("mirror")
    pinned = mirror_of_embedded(root, n=500)
    mirror_of_embedded(root, "fashion-mnist")
    with serving(root) as url:
        yield url, pinned


def leftovers(cache):
    """Everything a download left in the cache folder."""
    return sorted(p.name for p in cache.rglob("*")) if cache.exists() else []


def test_success_progress_and_load(served, tmp_path, monkeypatch):
    url, pinned = served
    seen = []
    folder = download("mnist-full", mirror=url, progress=lambda d, t: seen.append((d, t)),
                      cache=tmp_path, dataset=pinned)  # fmt: skip
    assert folder == tmp_path / "mnist-full" and is_downloaded("mnist-full", tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(pinned.files)
    assert not (tmp_path / "mnist-full.download").exists()
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == pinned.total_bytes
    assert {t for _, t in seen} == {pinned.total_bytes}
    # Once there, load_dataset finds it by name in the user's cache folder.
    monkeypatch.setattr(downloads, "cache_folder", lambda: tmp_path)
    assert downloaded_names() == ("mnist-full",)
    data = load_dataset("mnist-full")
    assert data.name == "mnist-full" and (data.n_train, data.n_test) == (500, 500)
    assert data.X_train.shape == (500, 784) and data.class_names[0] == "0"
    assert "MNIST" in data.source and str(tmp_path) in data.source
    np.testing.assert_array_equal(data.X_train, data.X_test)  # the same file served twice


def test_a_second_download_is_instant(served, tmp_path):
    url, pinned = served
    download("mnist-full", mirror=url, cache=tmp_path, dataset=pinned)
    calls = []
    download("mnist-full", mirror=closed_port_url(), progress=lambda *a: calls.append(a),
             cache=tmp_path, dataset=pinned)  # fmt: skip
    assert calls == []


def test_the_real_checksums_refuse_a_rewrapped_file(served, tmp_path):
    """The embedded t10k file holds the real bytes in another gzip wrapper: the pinned SHA-256
    of the published train-images file refuses it, and nothing is kept."""
    url, _ = served
    with pytest.raises(DownloadError, match="did not match its published SHA-256") as caught:
        download("fashion-mnist", mirror=url, cache=tmp_path)
    assert str(caught.value).startswith("train-images-idx3-ubyte.gz did not match")
    assert leftovers(tmp_path) == []


def test_an_altered_file_is_refused_after_good_ones(tmp_path):
    """The third file is altered: the two good ones fetched before it are not kept either."""
    root = tmp_path / "mirror"
    pinned = mirror_of_embedded(root, n=300)
    altered = root / "mnist-full" / "t10k-images-idx3-ubyte.gz"
    data = bytearray(altered.read_bytes())
    data[-20] ^= 0xFF
    altered.write_bytes(bytes(data))
    with serving(root) as url, pytest.raises(DownloadError, match="^t10k-images.*checksum"):
        download("mnist-full", mirror=url, cache=tmp_path / "cache", dataset=pinned)
    assert leftovers(tmp_path / "cache") == []


def test_server_down(tmp_path):
    with pytest.raises(DownloadError, match="no connection to 127.0.0.1:[0-9]+: offline"):
        download("fashion-mnist", mirror=closed_port_url(), cache=tmp_path)
    assert leftovers(tmp_path) == [] and not is_downloaded("fashion-mnist", tmp_path)


def test_missing_file_on_the_mirror(served, tmp_path):
    url, _ = served
    pattern = r"127.0.0.1:\d+ has no /school/mnist-full/train-images-idx3-ubyte.gz \(HTTP 404\)"
    with pytest.raises(DownloadError, match=pattern + ": check the mirror"):
        download("mnist-full", mirror=url + "/school", cache=tmp_path)
    assert leftovers(tmp_path) == []


def test_cancel_leaves_nothing(served, tmp_path):
    url, pinned = served

    def cancel_midway(done, total):
        if done > pinned.total_bytes // 2:
            raise DownloadCancelled

    with pytest.raises(DownloadCancelled):
        download("mnist-full", mirror=url, progress=cancel_midway, cache=tmp_path,
                 dataset=pinned)  # fmt: skip
    assert leftovers(tmp_path) == []


def test_not_downloaded_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(downloads, "cache_folder", lambda: tmp_path)
    with pytest.raises(DatasetError, match="fashion-mnist: not downloaded yet.*Get more data"):
        load_dataset("fashion-mnist")


def test_mirror_setting_then_environment_then_official():
    env = {MIRROR_ENV: " http://school.example/data/ "}
    assert mirror_base("http://lab.example", env) == "http://lab.example"
    assert mirror_base("", env) == "http://school.example/data/"
    assert mirror_base(None, {}) is None
    fashion = REMOTE_DATASETS["fashion-mnist"]
    assert file_urls(fashion, "http://school.example/data/")["t10k-labels-idx1-ubyte.gz"] == (
        "http://school.example/data/fashion-mnist/t10k-labels-idx1-ubyte.gz"
    )
    assert file_urls(fashion)["t10k-labels-idx1-ubyte.gz"] == (
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz"
    )


def test_cache_is_the_user_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "softmax-lab" / "datasets"


def test_pinned_table_agrees_with_the_embedded_files():
    """Every entry pins a SHA-256 and a size; the embedded t10k files have the published sizes
    and, unzipped, the published bytes (so the table describes the files they came from)."""
    for dataset in REMOTE_DATASETS.values():
        assert len(dataset.files) == 4
        for sha256, size in dataset.files.values():
            assert re.fullmatch(r"[0-9a-f]{64}", sha256) and size > 4000
    mnist = REMOTE_DATASETS["mnist-full"].files
    for kind, name in EMBEDDED.items():
        data = resource_path(name).read_bytes()
        assert len(data) == mnist[f"t10k-{kind}-idx{3 if kind == 'images' else 1}-ubyte.gz"][1]
        assert hashlib.md5(gzip.decompress(data)).hexdigest() == T10K_RAW_MD5[kind]
