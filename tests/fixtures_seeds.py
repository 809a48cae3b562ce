"""Session fixtures: the seeds read, and rendered once per session on demand.

Keys are the seed's number, the part of the file name before ``_`` (``"003"``).
Renders happen lazily on first access, into one temporary directory, so a test
pays only for the files it opens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Generic, TypeVar

import pytest

from demo.matrix import MATRIX_PRODUCERS, MATRIX_STYLES, render_matrix
from demo.producers import producer_available
from demo.render_pdf import VARIANTS, RenderManifest, render_pdf
from demo.render_scanned import render_scanned
from demo.render_xlsx import render_xlsx
from demo.seeds import SeedDocument, load_seed

K = TypeVar("K")
V = TypeVar("V")


class LazyMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping whose values are built on first access, then kept."""

    def __init__(self, keys: list[K], build: Callable[[K], V]) -> None:
        self._keys, self._build, self._cache = keys, build, {}

    def __getitem__(self, key: K) -> V:
        if key not in self._keys:
            raise KeyError(key)
        if key not in self._cache:
            self._cache[key] = self._build(key)
        return self._cache[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@pytest.fixture(scope="session")
def seed_docs(seeds_dir: Path) -> dict[str, SeedDocument]:
    """Seed number → SeedDocument, for every seed in ../shared/seeds."""
    return {path.stem.split("_")[0]: load_seed(path) for path in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rendered_seeds")


@pytest.fixture(scope="session")
def rendered_seeds(
    seed_docs: dict[str, SeedDocument], rendered_dir: Path
) -> Mapping[tuple[str, str], tuple[Path, RenderManifest]]:
    """(seed number, variant name) → (PDF path, manifest of table pages)."""

    def build(key: tuple[str, str]) -> tuple[Path, RenderManifest]:
        name, variant = key
        manifest = render_pdf(seed_docs[name], rendered_dir / f"{name}_{variant}.pdf", VARIANTS[variant])
        return manifest.path, manifest

    return LazyMap([(name, variant) for name in seed_docs for variant in VARIANTS], build)


@pytest.fixture(scope="session")
def seed_xlsx(seed_docs: dict[str, SeedDocument], rendered_dir: Path) -> Mapping[str, Path]:
    """Seed number → XLSX workbook, one sheet per table."""
    return LazyMap(list(seed_docs), lambda name: render_xlsx(seed_docs[name], rendered_dir / f"{name}.xlsx"))


@pytest.fixture(scope="session")
def seed_scanned(
    rendered_seeds: Mapping[tuple[str, str], tuple[Path, RenderManifest]], rendered_dir: Path
) -> Mapping[tuple[str, str], tuple[Path, RenderManifest]]:
    """(seed number, variant name) → (image-only PDF at 200 dpi, manifest of the source)."""

    def build(key: tuple[str, str]) -> tuple[Path, RenderManifest]:
        pdf, manifest = rendered_seeds[key]
        return render_scanned(pdf, rendered_dir / f"{key[0]}_{key[1]}_scanned.pdf"), manifest

    return LazyMap(list(rendered_seeds), build)


MatrixCase = tuple[str, str, str]  # (producer, style, seed number)


@pytest.fixture(scope="session")
def producer_matrix(
    request: pytest.FixtureRequest, seed_docs: dict[str, SeedDocument], rendered_dir: Path
) -> Mapping[MatrixCase, RenderManifest]:
    """(producer, style, seed number) → manifest of the fixture matrix (``demo.matrix``).

    The first case asked of a producer renders, in one batch, every case of that
    producer this session's tests are parametrised with (``producer``, ``style``,
    ``seed`` arguments): a browser or LibreOffice starts once per producer.
    Cases of a producer that is not installed skip.
    """
    wanted: set[MatrixCase] = set()
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if {"producer", "style", "seed"} <= params.keys():
            wanted.add((params["producer"], params["style"], params["seed"]))
    rendered: dict[MatrixCase, RenderManifest] = {}

    def build(case: MatrixCase) -> RenderManifest:
        producer = case[0]
        if not producer_available(producer):
            pytest.skip(f"{producer} is not installed")
        if case not in rendered:
            todo = {c for c in wanted | {case} if c[0] == producer and c not in rendered}
            batch = sorted((style, name) for _p, style, name in todo)
            for (style, name), manifest in render_matrix(producer, batch, seed_docs, rendered_dir).items():
                rendered[(producer, style, name)] = manifest
        return rendered[case]

    keys = [(p, s, n) for p in MATRIX_PRODUCERS for s in MATRIX_STYLES for n in seed_docs]
    return LazyMap(keys, build)
