"""The scan pipeline on a real Dask cluster (LocalCluster, worker processes) equals the serial run.

Two worker processes × one thread on 127.0.0.1, no dashboard. The workers
unpickle the page tasks, open the PDFs by path and run the same analysis; the
coordinator (this process) writes the case. Checked through the library and
through ``redactview scan --dask ADDRESS`` on a folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_scale_fixtures import OPTIONS, catalog_key, make_release

from redactview.cli.main import run
from redactview.core.catalog import catalog_to_json
from redactview.jobs.executor import SerialExecutor
from redactview.jobs.scan import BatchReport, scan_documents
from redactview.store.case import Case

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address


def key_of(batch: BatchReport) -> list[tuple[Any, ...]]:
    return catalog_key(catalog_to_json([r.document for r in batch.reports])["documents"])


def test_dask_catalog_equals_serial(tmp_path: Path, scheduler: str) -> None:
    from redactview.jobs.dask_executor import DaskExecutor

    files = [make_release(tmp_path / "a.pdf"), make_release(tmp_path / "b.pdf", 2, 1)]
    serial = scan_documents(files, options=OPTIONS, executor=SerialExecutor())
    with Case.open(tmp_path / "x.rvcase", create=True) as case:
        dask = scan_documents(files, options=OPTIONS, case=case, executor=DaskExecutor(scheduler))
        stored = {r.id for rel in case.releases() for r in case.redactions.list(rel.id)}
    assert len(key_of(serial)) >= 9  # the release really has boxes on its pages
    assert key_of(dask) == key_of(serial)
    assert stored == {k[1] for k in key_of(serial)}  # the coordinator wrote them all
    assert [r.document.path for r in dask.reports] == [str(f) for f in files]


def test_cli_scan_folder_on_dask(
    tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dump"
    (folder / "more").mkdir(parents=True)
    make_release(folder / "one.pdf", 3, 1)
    make_release(folder / "more" / "two.pdf", 1, 1)
    common = ["scan", str(folder), "--recursive", "--no-ocr", "--quiet"]
    assert run([*common, "--jobs", "1"]) == 0
    serial = json.loads(capsys.readouterr().out)["documents"]
    assert run([*common, "--dask", scheduler, "--case", str(tmp_path / "d.rvcase")]) == 0
    dask = json.loads(capsys.readouterr().out)["documents"]
    assert [Path(d["path"]).name for d in dask] == ["two.pdf", "one.pdf"]  # "more/" < "one.pdf"
    assert catalog_key(dask) == catalog_key(serial) and len(catalog_key(serial)) >= 5
