#!/usr/bin/env bash
# Back up the event store: a pg_dump (custom format) of everything but the `read` schema.
# The read models are not backed up: `lunch projections rebuild` makes them again from the
# events (ops/restore.sh does so after restoring).
#
#   DATABASE_URL=postgresql://... ops/backup.sh [FILE]     a reachable PostgreSQL
#   ops/backup.sh [FILE]                                    DATABASE_URL unset: the compose stack's
#                                                           postgres service (docker compose exec)
# FILE defaults to lunch-YYYYmmdd-HHMMSS.dump in the current directory. PG_DUMP picks the
# pg_dump binary (its major version must be at least the server's).
set -euo pipefail

file="${1:-lunch-$(date -u +%Y%m%d-%H%M%S).dump}"
options=(--format=custom --compress=6 --exclude-schema=read --no-owner --no-privileges)
tmp="$file.partial"
trap 'rm -f "$tmp"' EXIT

if [ -n "${DATABASE_URL:-}" ]; then
    "${PG_DUMP:-pg_dump}" "${options[@]}" --file="$tmp" "$DATABASE_URL"
else
    # Inside the container pg_dump matches the server, and the credentials are its own.
    docker compose exec -T postgres sh -c \
        "pg_dump ${options[*]} -U \"\$POSTGRES_USER\" \"\$POSTGRES_DB\"" > "$tmp"
fi
mv "$tmp" "$file"
trap - EXIT
echo "backup written: $file ($(wc -c < "$file") bytes)"
