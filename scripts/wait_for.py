"""Probe the development services (used by scripts/dev.sh; standard library + installed drivers).

wait_for.py postgres URL [--timeout S]     exit 0 when PostgreSQL answers
wait_for.py redis URL [--timeout S]        exit 0 when Redis answers
wait_for.py create-database URL            create the URL's database if missing
"""

import argparse
import sys
import time
from urllib.parse import urlparse


def _postgres(url: str) -> None:
    import psycopg2

    psycopg2.connect(url, connect_timeout=2).close()


def _redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()


def _create_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    connection = psycopg2.connect(admin, connect_timeout=5)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}", file=sys.stderr)
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["postgres", "redis", "create-database"])
    parser.add_argument("url")
    parser.add_argument("--timeout", type=float, default=0)
    args = parser.parse_args()
    if args.what == "create-database":
        _create_database(args.url)
        return 0
    probe = _postgres if args.what == "postgres" else _redis
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            probe(args.url)
            return 0
        except Exception as error:  # noqa: BLE001 - any failure means "not answering yet"
            if time.monotonic() >= deadline:
                print(f"{args.what} at {args.url}: {error}", file=sys.stderr)
                return 1
            time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
