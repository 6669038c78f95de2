#!/usr/bin/env bash
# Prints "<database>.<table> <rows>" for every table of an instance's databases (<service>_<instance>), sorted; nothing
# for a database that does not exist. test.sh compares the run instance's counts before and after the tests: the tests
# must never write a row into a developer's running platform.
#
#   deploy/local/row-counts.sh <instance>
set -euo pipefail
PART=rows
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

instance=${1:?usage: $0 <instance>}
check_instance "$instance"
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -n -u postgres -- "$@"; fi; }
for svc in "${DATABASE_NAMES[@]}"; do
  db="${svc}_$instance"
  exists=$(cd / && as_postgres psql -X -At -c "SELECT 1 FROM pg_database WHERE datname = '$db'" postgres)
  [[ $exists == 1 ]] || continue
  # One query builds a count per table of the service's schemas; the second psql runs it.
  (cd / && as_postgres psql -X -At -d "$db" -c "
    SELECT string_agg(format('SELECT %L || '' '' || count(*) FROM %I.%I', '$db.' || table_name, table_schema,
                             table_name), ' UNION ALL ' ORDER BY table_name)
    FROM information_schema.tables WHERE table_type = 'BASE TABLE'
      AND table_schema NOT IN ('pg_catalog', 'information_schema')" |
    { read -r query; [[ -z $query ]] || as_postgres psql -X -At -d "$db" -c "$query"; })
done | sort
