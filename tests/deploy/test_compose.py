"""The production setup (docker-compose.yml and the Dockerfile) read as the Docker engine would
— no engine runs here: every variable a service's healthcheck or command uses is defined in that
service, and the API image's command and port match the settings; the package ships the files
the pages, views and demo read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import yaml

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# $$VAR or $${VAR}: a variable read inside the container, at run time
CONTAINER_VAR = re.compile(r"\$\$\{?([A-Z_][A-Z0-9_]*)")


def _compose() -> dict:  # type: ignore[type-arg]
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))


def test_healthchecks_and_commands_only_use_variables_their_service_defines() -> None:
    for name, service in _compose()["services"].items():
        defined = set((service.get("environment") or {}).keys())
        texts = []
        for key in ("healthcheck", "command", "entrypoint"):
            part = service.get(key)
            if isinstance(part, dict):
                part = part.get("test")
            if part:
                texts.append(" ".join(part) if isinstance(part, list) else str(part))
        for text in texts:
            for var in CONTAINER_VAR.findall(text):
                assert var in defined, f"{name}: {var} is used but not defined in the service"


def test_the_api_image_serves_where_the_settings_and_the_compose_file_say() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    cmd = re.search(r"^CMD \[(.*)\]$", dockerfile, re.M)
    assert cmd is not None and [c.strip(' "') for c in cmd.group(1).split(",")] == [
        "maillage", "serve"
    ]  # fmt: skip
    exposed = re.search(r"^EXPOSE (\d+)$", dockerfile, re.M)
    api = _compose()["services"]["api"]
    env = api["environment"]
    settings = Settings(host=env["MAILLAGE_HOST"], port=int(env["MAILLAGE_PORT"]))
    assert exposed is not None and int(exposed.group(1)) == settings.port
    assert any(p.endswith(f":{settings.port}") for p in api["ports"])
    assert env["MAILLAGE_STORE"] == "neo4j" and env["NEO4J_URI"].startswith("bolt://neo4j:")
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    for folder in ("api", "graph", "analysis", "ingest", "viz"):
        assert f"COPY {folder} ./{folder}" in dockerfile


def test_the_package_ships_its_templates_catalogues_and_data(tmp_path: Path) -> None:
    import subprocess
    import sys

    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("maillage-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("api/web/templates/base.html", "api/web/static/app.js", "api/web/i18n/nl.po",
                   "viz/templates/view.html", "viz/templates/view.js",
                   "ingest/data/demo.toml"):  # fmt: skip
        assert needed in names, needed


def test_the_api_believes_the_compose_proxy_and_no_one_else() -> None:
    """Behind compose's TLS proxy, forwarded headers are believed from that proxy's address
    only (MAILLAGE_TRUSTED_PROXIES), which compose fixes on its own network."""
    services = _compose()["services"]
    proxy, api = services["proxy"], services["api"]
    address = proxy["networks"]["maillage"]["ipv4_address"]
    assert api["environment"]["MAILLAGE_TRUSTED_PROXIES"] == address
    assert api["networks"]["maillage"]["ipv4_address"] != address
    assert "api:8000" in " ".join(proxy["command"])
    assert "maillage" in services["neo4j"]["networks"]
    settings = Settings(trusted_proxies=api["environment"]["MAILLAGE_TRUSTED_PROXIES"])
    assert settings.trusted_proxies == address
