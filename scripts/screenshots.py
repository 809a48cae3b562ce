"""Screenshots of the archive browser's main pages at desktop and phone width, for a person to judge.

Builds the sample database of tests/web (rendered seeds through the pipeline),
serves the app with uvicorn and drives Debian's chromium:

    bash scripts/screenshots [OUT_DIR]      # default var/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from config import Settings  # noqa: E402
from tests.web.sample_db import THREE_YEARS, build_sample_db  # noqa: E402

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
MAX_SCREENS = 3


def pages(client_get, sample) -> dict[str, str]:  # noqa: ANN001
    home = client_get("/.json")
    finding = client_get("/findings.json?rule=arithmetic.hierarchy")["findings"][0]
    versions = client_get(f"/documents/{sample.revised_document_id}.json")["versions"]
    department = "/departments/" + quote(sample.three_year_department, safe="")
    doc = next(d for y in client_get(department + ".json")["timeline"] if y["year"] == THREE_YEARS[-1] for d in y["documents"])
    return {
        "home": "/",
        "region": "/regions/" + quote(home["regions"][0]["region"]),
        "department": department,
        "document": f"/documents/{doc['document']['id']}",
        "findings": "/findings",
        "finding": f"/findings/{finding['id']}",
        "evidence": f"/findings/{finding['id']}/evidence",
        "diff": f"/diff?a={versions[0]['id']}&b={versions[1]['id']}",
        "search": "/search?q=" + quote("政务服务"),
        "runs": "/runs",
    }


def main() -> None:
    import httpx
    import uvicorn
    from playwright.sync_api import sync_playwright

    from web.app import create_app

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sample = build_sample_db(Path(tmp))
        app = create_app(Settings(database_url=sample.database_url, archive_dir=str(sample.archive_dir)))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        targets = pages(lambda path: httpx.get(base + path).json(), sample)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                              device_scale_factor=1 if label == "desktop" else 2)
                page = context.new_page()
                for name, path in targets.items():
                    page.goto(base + path, wait_until="networkidle")
                    target = out / f"{name}-{label}.png"
                    tall = page.evaluate("document.documentElement.scrollHeight")
                    # Whole pages, but at most a few screens: a person judges the layout, not every row.
                    page.screenshot(path=str(target), full_page=True,
                                    clip={"x": 0, "y": 0, "width": width, "height": min(tall, MAX_SCREENS * height)})
                    print(target)
                context.close()
            browser.close()
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
