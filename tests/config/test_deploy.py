import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _example_environment() -> dict:
    """deploy/env.example, the file docs/deploy.md copies to /etc/hrc/env."""
    pairs = (line.split("=", 1) for line in (ROOT / "deploy" / "env.example").read_text().splitlines()
             if line.strip() and not line.startswith("#"))
    return {key: value for key, value in pairs}


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    example = _example_environment()
    assert example["DJANGO_DEBUG"] == "0" and example["TRUSTED_PROXIES"].startswith("127.0.0.1")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        **{k: v for k, v in example.items() if k not in ("DATABASE_URL", "REDIS_URL")},  # no server needed to check
        "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "DJANGO_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def _scheduled_in_readme() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("### Scheduled jobs", 1)[1].split("\n\n", 2)[1]
    return {line.split("`manage.py ", 1)[1].split("`", 1)[0] for line in table.splitlines() if "`manage.py " in line}


def test_every_scheduled_job_has_a_systemd_timer_and_every_timer_a_command():
    systemd = ROOT / "deploy" / "systemd"
    timers = {path.name.removeprefix("commons-job@").removesuffix(".timer") for path in systemd.glob("commons-job@*.timer")}
    commands = {path.stem for path in ROOT.glob("*/management/commands/*.py") if path.stem != "__init__"}
    assert timers == _scheduled_in_readme()
    assert timers <= commands
    for timer in systemd.glob("*.timer"):
        text = timer.read_text()
        assert "OnCalendar=" in text and "Persistent=true" in text and "WantedBy=timers.target" in text


def test_the_app_unit_starts_uvicorn_with_our_logging_and_without_its_proxy_headers():
    unit = (ROOT / "deploy" / "systemd" / "commons@.service").read_text()
    start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    for flag in ("--port %i", "--no-access-log", "--no-proxy-headers", "--log-config deploy/uvicorn-logging.json"):
        assert flag in start
    assert "EnvironmentFile=/etc/hrc/env" in unit and "ProtectSystem=strict" in unit


def test_the_nginx_renderer_fills_every_placeholder_and_refuses_a_value_that_would_inject_a_directive():
    import importlib.util

    import pytest

    spec = importlib.util.spec_from_file_location("render_nginx", ROOT / "deploy" / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    site = module.render(server_name="commons.example", ports=[8001, 8002, 8003], certificate="/c.pem",
                         certificate_key="/k.pem", static_root="/srv/hrc/var/staticfiles")
    assert "@@" not in site and site.count("server 127.0.0.1:800") == 3
    assert "$remote_addr" not in site.split("log_format", 1)[1].split(";", 1)[0]
    assert "error_log /var/log/nginx/error.log alert;" in site
    with pytest.raises(ValueError):
        module.render(server_name="x; include /etc/passwd", ports=[8001], certificate="/c", certificate_key="/k", static_root="/s")


def test_systemd_accepts_every_unit(tmp_path):
    """`systemd-analyze verify` on every unit (an app instance, each timer with its job): only the programs under
    /srv/hrc, which this machine does not have, may be missing."""
    import shutil

    import pytest

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze (systemd)")
    for unit in (ROOT / "deploy" / "systemd").iterdir():
        (tmp_path / unit.name).write_text(unit.read_text())
    (tmp_path / "commons@8001.service").write_text((ROOT / "deploy" / "systemd" / "commons@.service").read_text())
    units = [str(path) for path in sorted(tmp_path.iterdir()) if "@." not in path.name]
    result = subprocess.run([analyze, "verify", *units], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if line.strip() and not re.search(r"Command /srv/hrc/\S+ is not executable: No such file or directory", line)]
    assert complaints == []
