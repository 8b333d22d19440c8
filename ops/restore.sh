#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an EMPTY database, then rebuild the read models.
#
#   DATABASE_URL=postgresql://.../lunch_new ops/restore.sh FILE   a reachable, empty database
#   ops/restore.sh FILE                                           DATABASE_URL unset: the compose
#       stack's postgres service (stop the components and start from an empty volume first;
#       see docs/operator-guide.md, "Backups")
# It refuses a database that already holds an event store. Options (environment):
#   PG_RESTORE   the pg_restore binary (default pg_restore; its major version >= the dump's)
#   PSQL         the psql binary (default psql)
#   LUNCH        the lunch command that rebuilds the read models (default lunch)
#   NO_REBUILD=1 restore only
set -euo pipefail

file="${1:?usage: ops/restore.sh FILE}"
[ -r "$file" ] || { echo "cannot read $file" >&2; exit 1; }
options=(--no-owner --no-privileges --exit-on-error --single-transaction)
has_store="SELECT to_regclass('public.stored_events') IS NOT NULL"

if [ -n "${DATABASE_URL:-}" ]; then
    if [ "$("${PSQL:-psql}" "$DATABASE_URL" -Atc "$has_store")" = "t" ]; then
        echo "refusing to restore: the target database already holds an event store" >&2
        exit 1
    fi
    "${PG_RESTORE:-pg_restore}" "${options[@]}" --dbname="$DATABASE_URL" "$file"
    echo "restored $file"
    if [ "${NO_REBUILD:-0}" != 1 ]; then
        "${LUNCH:-lunch}" projections rebuild
    fi
else
    in_db() { docker compose exec -T postgres sh -c "$1 -U \"\$POSTGRES_USER\" -d \"\$POSTGRES_DB\""; }
    if [ "$(in_db "psql -Atc \"$has_store\"")" = "t" ]; then
        echo "refusing to restore: the compose database already holds an event store" >&2
        exit 1
    fi
    in_db "pg_restore ${options[*]}" < "$file"
    echo "restored $file"
    if [ "${NO_REBUILD:-0}" != 1 ]; then
        docker compose run --rm --no-deps setup projections rebuild
    fi
fi
