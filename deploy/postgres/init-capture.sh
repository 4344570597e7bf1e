#!/bin/sh
# Run once by the postgres image, on an empty data folder (/docker-entrypoint-initdb.d): the service's
# own role (not a superuser) owning its database, with what a transaction pooler cannot set per
# connection. statement_timeout must equal database.statementTimeoutMs (start-up checks it).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="${CAPTURE_DB_PASSWORD:?}" <<'SQL'
CREATE ROLE capture LOGIN PASSWORD :'password';
ALTER ROLE capture SET statement_timeout = 30000;
CREATE DATABASE capture OWNER capture;
SQL
