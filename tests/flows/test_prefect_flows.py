"""The flows through a real Prefect server: a flow run of the nightly flow,
``prefect deploy --all`` of prefect.yaml with a worker executing a run, the
scheduler creating scheduled runs, and the parse step on a Dask cluster."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from demo.site import ReplicaSite
from demo.site_catalog import ZHONGZHAN
from storage import Document, DocumentVersion, make_engine
from storage.findings import FindingRow
from storage.run_models import PipelineRun
from tests.flows.conftest import REPO_ROOT

pytestmark = pytest.mark.slow
TODAY = date(2026, 12, 6)
PREFECT = str(Path(sys.executable).with_name("prefect"))


def _budgetwatch_env(monkeypatch: pytest.MonkeyPatch, home: Path, db_url: str, sources: Path | None = None) -> dict[str, str]:
    values = {"BUDGETWATCH_HOME": str(home), "BUDGETWATCH_DATABASE_URL": db_url,
              "BUDGETWATCH_ARCHIVE_DIR": str(home / "archive")}
    if sources:
        values["BUDGETWATCH_SOURCES"] = str(sources)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def _count(db_url: str, model: type, *where: object) -> int:
    engine = make_engine(db_url)
    with Session(engine) as session:
        n = session.exec(select(func.count()).select_from(model).where(*where)).one()
    engine.dispose()
    return n


@pytest.mark.usefixtures("prefect_client_settings")
def test_the_nightly_flow_runs_through_prefect_and_a_second_night_is_quiet(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.client.orchestration import get_client

    from flows.nightly import nightly

    with ReplicaSite() as site:
        sources = site.write_sources(tmp_path / "sources.yaml", (ZHONGZHAN,))
        _budgetwatch_env(monkeypatch, tmp_path, db_url, sources)
        first = nightly(sources_file=str(sources), today=TODAY)  # raises unless the flow run completed
        second = nightly(sources_file=str(sources), today=TODAY)
    assert first["sources"][0]["source_id"] == "replica-zhongzhan" and first["sources"][0]["new_documents"] > 0
    assert first["parsed"] > 0 and first["findings_new"] > 0
    assert _count(db_url, DocumentVersion, DocumentVersion.parse_status == "pending") == 0
    assert _count(db_url, FindingRow) == first["findings_new"]
    assert (second["parsed"], second["findings_new"], second["departments_checked"]) == (0, 0, 0)
    assert all(s["new_documents"] == 0 and s["new_versions"] == 0 for s in second["sources"])
    assert _count(db_url, PipelineRun) == 2

    with get_client(sync_client=True) as client:
        names = [t.name for t in client.read_task_runs()]
    assert any(n.startswith("crawl") for n in names) and any(n.startswith("parse") for n in names)


def test_prefect_deploy_all_schedules_the_nightly_run_and_a_worker_executes_it(
        prefect_env: dict[str, str], tmp_path: Path) -> None:
    env = {**prefect_env, "PWD": str(REPO_ROOT)}  # prefect.yaml's pull step names the checkout
    cli = {"env": env, "cwd": REPO_ROOT, "capture_output": True, "text": True, "timeout": 300}
    created = subprocess.run([PREFECT, "work-pool", "create", "budgetwatch", "--type", "process"], **cli)
    assert created.returncode == 0, created.stdout + created.stderr
    deployed = subprocess.run([PREFECT, "--no-prompt", "deploy", "--all"], **cli)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr

    inspected = subprocess.run([PREFECT, "deployment", "inspect", "nightly/nightly", "--output", "json"], **cli)
    assert inspected.returncode == 0, inspected.stderr
    deployment = json.loads(inspected.stdout)
    schedule = deployment["schedules"][0]["schedule"]
    assert (schedule["cron"], schedule["timezone"]) == ("30 1 * * *", "Asia/Shanghai")
    assert deployment["global_concurrency_limit"]["limit"] == 1

    # The server's scheduler creates the coming nights' runs by itself.
    deadline = time.monotonic() + 120
    scheduled: list = []
    while time.monotonic() < deadline and not scheduled:
        listed = subprocess.run([PREFECT, "flow-run", "ls", "--flow-name", "nightly", "--state", "SCHEDULED",
                                 "--output", "json"], **cli)
        scheduled = json.loads(listed.stdout or "[]") if listed.returncode == 0 else []
        time.sleep(2)
    assert scheduled, "the scheduler created no scheduled run (check the sqlalchemy<2.1 pin)"
    assert all(r["expected_start_time"][11:16] == "17:30" for r in scheduled), "01:30 Beijing time is 17:30 UTC"

    # A run started now is executed by a worker on the process pool.
    with ReplicaSite() as site:
        sources = site.write_sources(tmp_path / "sources.yaml", (ZHONGZHAN,))
        db_url = f"sqlite:///{tmp_path / 'worker.db'}"
        env.update({"BUDGETWATCH_HOME": str(tmp_path), "BUDGETWATCH_DATABASE_URL": db_url,
                    "BUDGETWATCH_SOURCES": str(sources)})
        started = subprocess.run([PREFECT, "deployment", "run", "nightly/nightly", "--param",
                                  f"sources_file={sources}", "--param", f"today={TODAY.isoformat()}"], **cli)
        assert started.returncode == 0, started.stdout + started.stderr
        worker = subprocess.run([PREFECT, "worker", "start", "--pool", "budgetwatch", "--run-once"],
                                **{**cli, "timeout": 900})
        assert worker.returncode == 0, worker.stdout[-3000:] + worker.stderr[-3000:]
    assert _count(db_url, Document) > 0
    assert _count(db_url, DocumentVersion, DocumentVersion.parse_status == "pending") == 0
    assert _count(db_url, PipelineRun, PipelineRun.status == "finished") == 1


@pytest.mark.usefixtures("prefect_client_settings")
def test_the_parse_step_on_a_dask_cluster_stores_what_the_in_process_run_stores(
        tmp_path: Path, rendered_seeds, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import dask
    from distributed import LocalCluster
    from prefect_dask import DaskTaskRunner

    from config import Settings
    from flows.nightly import ingest
    from pipeline.backfill import backfill

    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("000", "001", "002"):
        path, _ = rendered_seeds[(name, "ruled_portrait")]
        (folder / path.name).write_bytes(path.read_bytes())
    local_db = f"sqlite:///{tmp_path / 'local.db'}"
    backfill(Settings(home=tmp_path / "local", database_url=local_db), paths=[folder], today=TODAY)

    dask_db = f"sqlite:///{tmp_path / 'dask.db'}"
    _budgetwatch_env(monkeypatch, tmp_path / "dask", dask_db)
    # Parse processes are children of the Dask worker: workers must not be daemonic.
    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        flow = ingest.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        result = flow(paths=[str(folder)])
    assert result["parsed"] == 3

    def stored(db_url: str) -> dict[str, object]:
        engine = make_engine(db_url)
        with Session(engine) as session:
            rows = session.exec(select(DocumentVersion)).all()
            out = {v.sha256: (v.parse_status, v.parser_version, v.parsed_json) for v in rows}
        engine.dispose()
        return out

    assert stored(dask_db) == stored(local_db)
    assert _count(dask_db, FindingRow) == _count(local_db, FindingRow) > 0
