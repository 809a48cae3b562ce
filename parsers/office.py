"""LibreOffice headless as a bounded file converter.

Each run gets a throw-away user profile (concurrent runs must not share
one), a time limit, and no network where the system allows it (a private
network namespace through ``unshare``): a document must not make the
converter fetch linked content.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from functools import cache
from pathlib import Path

from parsers.errors import ConverterUnavailable, CorruptFile

__all__ = ["SOFFICE", "CONVERT_TIMEOUT", "soffice_available", "soffice_convert"]

SOFFICE = "soffice"
# How long a killed conversion may take to disappear.
GROUP_EXIT_SECONDS = 5.0
CONVERT_TIMEOUT = 120.0  # seconds for one conversion run


def soffice_available() -> bool:
    return shutil.which(SOFFICE) is not None


@cache
def _offline_prefix() -> tuple[str, ...]:
    """``unshare -rn`` when this system lets an unprivileged process drop its network."""
    if shutil.which("unshare") is None:
        return ()
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10)
    return ("unshare", "-rn") if probe.returncode == 0 else ()


def _wait_until_gone(group: int, seconds: float = GROUP_EXIT_SECONDS) -> None:
    """Wait for a killed process group's last members (soffice.bin outlives its launcher by a moment)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)


def soffice_convert(sources: list[Path], target: str, out_dir: Path, timeout: float = CONVERT_TIMEOUT) -> None:
    """Convert ``sources`` into ``out_dir`` (``target``: ``docx``, ``doc``, ``pdf`` or
    a ``format:filter:options`` string). Raise ``ConverterUnavailable`` without
    LibreOffice and ``CorruptFile`` when the run fails or overruns ``timeout``."""
    if not soffice_available():
        raise ConverterUnavailable("未安装 LibreOffice（soffice），无法转换旧版 Office 文件")
    with tempfile.TemporaryDirectory(prefix="bw-lo-profile-") as profile:
        command = [
            *_offline_prefix(), SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--norestore", "--nologo", "--nolockcheck",
            "--convert-to", target, "--outdir", str(out_dir), *map(str, sources),
        ]
        # Its own session: on timeout the whole group goes (soffice runs soffice.bin as a child).
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True) as run:
            try:
                _out, err = run.communicate(timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                os.killpg(run.pid, signal.SIGKILL)
                run.communicate()
                _wait_until_gone(run.pid)
                raise CorruptFile(f"LibreOffice 转换超时（{timeout:.0f} 秒）") from exc
    if run.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise CorruptFile(f"LibreOffice 转换失败：{detail[0]}")
