#!/usr/bin/env python3
"""Render deploy/nginx/commons.conf.template into an nginx site file (stdout). Standard library only.

    python3 deploy/render_nginx.py --server-name commons.example --ports 8001,8002 \
        > /etc/nginx/sites-available/commons

The defaults are Debian's paths and the layout of docs/deploy.md; the CI test renders it with its own.
"""

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "commons.conf.template"


def render(*, server_name: str, ports: list[int], https_port: int = 443, http_port: int = 80,
           certificate: str, certificate_key: str, static_root: str, log_dir: str = "/var/log/nginx",
           upstream_host: str = "127.0.0.1", ipv6: bool = True) -> str:
    values = {
        "SERVER_NAME": server_name,
        "HTTPS_PORT": str(https_port),
        "HTTP_PORT": str(http_port),
        "CERTIFICATE": certificate,
        "CERTIFICATE_KEY": certificate_key,
        "STATIC_ROOT": static_root.rstrip("/"),
        "LOG_DIR": log_dir.rstrip("/"),
        # max_fails/fail_timeout: a process that stopped answering is left alone for 5 s, then tried again.
        "UPSTREAM_SERVERS": "\n".join(f"    server {upstream_host}:{port} max_fails=1 fail_timeout=5s;" for port in ports),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        if re.search(r"[;{}\s]", value) and name != "UPSTREAM_SERVERS":
            raise ValueError(f"{name} must be one word without ; {{ }}: {value!r}")
        text = text.replace(f"@@{name}@@", value)
    if not ipv6:  # a host (or container) without IPv6: nginx would refuse to start on [::]
        text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("listen [::]")) + "\n"
    left = re.findall(r"@@[A-Z_]+@@", text)
    if left:
        raise ValueError(f"not filled in: {left}")
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-name", required=True, help="the site's host name, e.g. commons.example")
    parser.add_argument("--ports", default="8001,8002", help="the app processes' ports (commons@PORT), comma-separated")
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--certificate", help="default: Let's Encrypt's path for --server-name")
    parser.add_argument("--certificate-key", help="default: Let's Encrypt's path for --server-name")
    parser.add_argument("--static-root", default="/srv/hrc/var/staticfiles")
    parser.add_argument("--log-dir", default="/var/log/nginx")
    parser.add_argument("--no-ipv6", action="store_true", help="listen on IPv4 only")
    args = parser.parse_args(argv)
    live = f"/etc/letsencrypt/live/{args.server_name}"
    sys.stdout.write(render(
        server_name=args.server_name, ports=[int(port) for port in args.ports.split(",") if port.strip()],
        https_port=args.https_port, http_port=args.http_port,
        certificate=args.certificate or f"{live}/fullchain.pem", certificate_key=args.certificate_key or f"{live}/privkey.pem",
        static_root=args.static_root, log_dir=args.log_dir, ipv6=not args.no_ipv6,
    ))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
