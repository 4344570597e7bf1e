#!/bin/sh
# PgBouncer's password file, written from the environment at each start, then PgBouncer itself
# (exec: it receives the container's signals; SIGINT finishes running transactions first).
set -eu
umask 077
printf '"%s" "%s"\n' "${PGBOUNCER_USER:?}" "${PGBOUNCER_PASSWORD:?}" > /run/pgbouncer/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
