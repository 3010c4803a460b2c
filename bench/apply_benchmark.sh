#!/usr/bin/env bash
# Times `strata apply` of a chain that creates a 1,000-table schema against
# running the same SQL with the sqlite3 shell and with `psql -1 -f`
# (DESIGN.md, performance targets: apply's overhead within 5%).
#
# Usage: bench/apply_benchmark.sh [--strata PATH] [--runs R] [--tables N] [--migrations M]
#                                 [--sqlite-only | --postgres-only] [--phases]
#
# The chain: M migrations (default 10) of N/M tables each (default N = 1,000),
# cut from bench/generate_{postgres,sqlite}_schema.py N (10 to 12 columns of
# mixed types, 2 indexes, a foreign key and a check per table; PostgreSQL: the
# N/10 enums in the first migration). Each project is made with `strata init`,
# `strata new` per migration and `strata hash`.
#
# Every run starts from a fresh SQLite file / a fresh PostgreSQL database (made
# outside the timing); the runs of each contender alternate; min and median of
# R runs (default 5), wall clock of the whole process; "cpu s" is the median
# user + system time of the client process (strata, sqlite3 or psql; for
# SQLite that includes the engine, for PostgreSQL not the server).
#
# SQLite contenders:
#   strata apply --url sqlite:FILE
#   sqlite3 FILE < raw.sql          the up files, each in BEGIN IMMEDIATE/COMMIT (no history)
#   sqlite3 FILE < script.sql       `strata sql` output: what apply runs, history included
# PostgreSQL contenders (a throwaway cluster as the tests make it):
#   strata apply --url postgresql:///DB?host=SOCKETDIR&port=PORT
#   psql -X -q -1 -v ON_ERROR_STOP=1 -f raw.sql           the up files concatenated, one transaction
#   psql -X -q -1 -v ON_ERROR_STOP=1 -f single.sql        `strata sql --single-transaction`
#   psql -X -q -v ON_ERROR_STOP=1 -f script.sql           `strata sql`: per-migration transactions + history
#
# --phases also times strata's offline parts on their own (`strata sql`, which
# reads and hashes the files; `strata apply --dry-run` against an applied
# database) so that the overhead can be split.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
strata=""
runs=5
tables=1000
migrations=10
do_sqlite=1
do_postgres=1
phases=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --strata) strata=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --tables) tables=$2; shift 2 ;;
    --migrations) migrations=$2; shift 2 ;;
    --sqlite-only) do_postgres=0; shift ;;
    --postgres-only) do_sqlite=0; shift ;;
    --phases) phases=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$strata" ]]; then
  for candidate in "$here/../build/compiler/strata" "$(command -v strata || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then strata=$candidate; break; fi
  done
fi
[[ -x "$strata" ]] || { echo "strata executable not found; pass --strata PATH" >&2; exit 2; }
strata=$(readlink -f "$strata")
(( tables % migrations == 0 )) || { echo "--tables must be a multiple of --migrations" >&2; exit 2; }

work=$(mktemp -d /tmp/strata-apply-bench.XXXXXX)
chmod 755 "$work"
pgbin=/usr/lib/postgresql/15/bin
pgroot=""
as_pg=()
[[ $(id -u) -eq 0 ]] && as_pg=(runuser -u postgres --)
cleanup() {
  if [[ -n "$pgroot" && -f "$pgroot/data/postmaster.pid" ]]; then
    (cd "$pgroot" && "${as_pg[@]}" "$pgbin/pg_ctl" stop -D "$pgroot/data" -m immediate -w >/dev/null 2>&1) || true
  fi
  rm -rf "$work"
  if [[ -n "$pgroot" ]]; then rm -rf "$pgroot"; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

now_ns() { date +%s%N; }
# time_cmd VAR CMD...: runs CMD (stdout discarded, stderr kept), seconds into VAR.
# The client's CPU time (user + system of the process and its children: the
# server's work is not in it) is added to the list named VAR_cpu.
time_cmd() {
  local -n out=$1; shift
  local -n cpu_list=${1}_cpu; shift
  local timing
  timing=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&3; } 3>&2 2>&1 )
  out=$(awk '{ printf "%.4f", $1 }' <<<"$timing")
  cpu_list+=" $(awk '{ printf "%.4f", $2 + $3 }' <<<"$timing")"
}
# stats "t1 t2 ...": "min median"
stats() {
  tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g |
    awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f", v[1], m }'
}
rows=()
# row DIALECT CONTENDER TIMES [BASE_TIMES [CPU_TIMES]]: a line of the result table
# (BASE_TIMES empty: no overhead column; CPU_TIMES: the client's CPU seconds).
row() {
  local s; s=$(stats "$3")
  local min=${s% *} median=${s#* } overhead="" cpu=""
  if [[ -n "${4:-}" ]]; then
    local b; b=$(stats "$4")
    overhead=$(awk -v a="$min" -v b="${b% *}" -v c="$median" -v d="${b#* }" \
      'BEGIN { printf "%+.1f%% / %+.1f%%", (a / b - 1) * 100, (c / d - 1) * 100 }')
  fi
  if [[ -n "${5:-}" ]]; then cpu=$(stats "$5"); cpu=${cpu#* }; fi
  rows+=("$(printf '| %-10s | %-58s | %7s | %7s | %-17s | %7s |' "$1" "$2" "$min" "$median" "$overhead" "$cpu")")
}

# make_project DIALECT GENERATOR: $work/DIALECT with the chain, hashed.
make_project() {
  local dialect=$1 generator=$2 dir=$work/$1
  (cd "$work" && "$strata" init --dialect "$dialect" "$dialect" >/dev/null)
  python3 "$here/$generator" "$tables" >"$dir/schema/schema.sql"
  (cd "$dir" && for ((m = 1; m <= migrations; ++m)); do "$strata" new -m "tables $m" >/dev/null; done)
  python3 - "$dir" "$dialect" "$tables" "$migrations" <<'EOF'
import glob, re, sys
dir, dialect, tables, migrations = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
per = tables // migrations
text = open(f"{dir}/schema/schema.sql").read()
# Cut the schema into statements: a table's CREATE TABLE and its indexes go together.
preamble, chunks = [], [[] for _ in range(migrations)]
current = None
for stmt in re.findall(r"[^;]*;\n?", text, re.S):
    s = stmt.strip()
    m = re.match(r"CREATE TABLE t(\d+) ", s)
    if m:
        current = int(m.group(1))
    if current is None:
        preamble.append(s)        # the enums
    else:
        chunks[current // per].append(s)
ups = sorted(glob.glob(f"{dir}/migrations/*.up.sql"))
downs = sorted(glob.glob(f"{dir}/migrations/*.down.sql"))
for k, (up, down) in enumerate(zip(ups, downs)):
    body = (preamble if k == 0 else []) + chunks[k]
    with open(up, "a") as f:
        f.write("\n" + "\n".join(body) + "\n")
    drops = [f"DROP TABLE t{t};" for t in reversed(range(k * per, (k + 1) * per))]
    if k == 0:
        drops += [re.sub(r"CREATE TYPE (\S+) .*", r"DROP TYPE \1;", s, flags=re.S) for s in reversed(preamble)]
    with open(down, "a") as f:
        f.write("\n" + "\n".join(drops) + "\n")
EOF
  (cd "$dir" && "$strata" hash >/dev/null)
  # The baselines' scripts.
  (cd "$dir" && "$strata" sql -o "$work/$dialect-script.sql" >/dev/null 2>&1)
  if [[ $dialect == sqlite ]]; then
    for up in "$dir"/migrations/*.up.sql; do printf 'BEGIN IMMEDIATE;\n'; cat "$up"; printf 'COMMIT;\n'; done >"$work/sqlite-raw.sql"
  else
    (cd "$dir" && "$strata" sql --single-transaction -o "$work/postgres-single.sql" >/dev/null 2>&1)
    cat "$dir"/migrations/*.up.sql >"$work/postgres-raw.sql"
  fi
  echo "$dialect: $migrations migrations, $tables tables, $(cat "$dir"/migrations/*.up.sql | wc -c) bytes of up SQL, $(cat "$dir"/migrations/*.up.sql | grep -c ";$") statements" >&2
}

echo "strata: $strata; $runs runs each; $(nproc) cores; uptime:$(uptime | sed 's/.*up [^,]*,//')" >&2

if (( do_sqlite )); then
  make_project sqlite generate_sqlite_schema.py
  t_strata="" t_raw="" t_script="" t_sql="" t_dry=""
  t_strata_cpu="" t_raw_cpu="" t_script_cpu="" t_sql_cpu="" t_dry_cpu=""
  for ((r = 1; r <= runs; ++r)); do
    db=$work/run.db
    rm -f "$db"; time_cmd t t_strata bash -c "cd '$work/sqlite' && exec '$strata' apply --url 'sqlite:$db'"; t_strata+=" $t"
    tables_made=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name GLOB 't[0-9]*'")
    [[ $tables_made == "$tables" ]] || { echo "strata apply made $tables_made tables" >&2; exit 1; }
    if (( phases )); then
      time_cmd t t_dry bash -c "cd '$work/sqlite' && exec '$strata' apply --dry-run --url 'sqlite:$db'"; t_dry+=" $t"
      time_cmd t t_sql bash -c "cd '$work/sqlite' && exec '$strata' sql"; t_sql+=" $t"
    fi
    rm -f "$db"; time_cmd t t_raw bash -c "exec sqlite3 -bail '$db' < '$work/sqlite-raw.sql'"; t_raw+=" $t"
    rm -f "$db"; time_cmd t t_script bash -c "exec sqlite3 -bail '$db' < '$work/sqlite-script.sql'"; t_script+=" $t"
  done
  rm -f "$work/run.db"
  row sqlite "strata apply" "$t_strata" "" "$t_strata_cpu"
  row sqlite "sqlite3 < up files, BEGIN IMMEDIATE/COMMIT each" "$t_raw" "" "$t_raw_cpu"
  row sqlite "strata apply vs that" "$t_strata" "$t_raw"
  row sqlite "sqlite3 < strata sql (what apply runs, with history)" "$t_script" "" "$t_script_cpu"
  row sqlite "strata apply vs that" "$t_strata" "$t_script"
  if (( phases )); then
    row sqlite "phase: strata sql (read, hash, render; offline)" "$t_sql"
    row sqlite "phase: strata apply --dry-run on the applied file" "$t_dry"
  fi
fi

if (( do_postgres )); then
  make_project postgres generate_postgres_schema.py
  pgroot=$(mktemp -d /tmp/strata-apply-bench-pg.XXXXXX)
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pgroot"
  (cd "$pgroot" && "${as_pg[@]}" "$pgbin/initdb" -D "$pgroot/data" -A trust -U postgres --no-sync -E UTF8 --locale=C \
    >"$pgroot/initdb.log" 2>&1) || { cat "$pgroot/initdb.log" >&2; exit 1; }
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$pgroot" && "${as_pg[@]}" "$pgbin/pg_ctl" start -w -t 60 -D "$pgroot/data" -l "$pgroot/server.log" \
    -o "-k '$pgroot' -c listen_addresses='' -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >"$pgroot/pg_ctl.log" 2>&1) || { cat "$pgroot/pg_ctl.log" "$pgroot/server.log" >&2; exit 1; }
  psql_base=(psql -X -q -h "$pgroot" -p "$port" -U postgres)
  n=0
  fresh_db() {
    n=$((n + 1)); db=bench_$n
    "${psql_base[@]}" -d postgres -c "CREATE DATABASE $db STRATEGY FILE_COPY" >/dev/null
  }
  drop_db() { "${psql_base[@]}" -d postgres -c "DROP DATABASE $db" >/dev/null; }
  url() { echo "postgresql:///$db?host=$pgroot&port=$port&user=postgres"; }
  t_strata="" t_raw="" t_single="" t_script="" t_sql="" t_dry=""
  t_strata_cpu="" t_raw_cpu="" t_single_cpu="" t_script_cpu="" t_sql_cpu="" t_dry_cpu=""
  for ((r = 1; r <= runs; ++r)); do
    fresh_db; time_cmd t t_strata bash -c "cd '$work/postgres' && exec '$strata' apply --url '$(url)'"; t_strata+=" $t"
    made=$("${psql_base[@]}" -d "$db" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'")
    [[ $made == "$tables" ]] || { echo "strata apply made $made tables" >&2; exit 1; }
    if (( phases )); then
      time_cmd t t_dry bash -c "cd '$work/postgres' && exec '$strata' apply --dry-run --url '$(url)'"; t_dry+=" $t"
      time_cmd t t_sql bash -c "cd '$work/postgres' && exec '$strata' sql"; t_sql+=" $t"
    fi
    drop_db
    fresh_db; time_cmd t t_raw "${psql_base[@]}" -1 -v ON_ERROR_STOP=1 -d "$db" -f "$work/postgres-raw.sql"; t_raw+=" $t"; drop_db
    fresh_db; time_cmd t t_single "${psql_base[@]}" -1 -v ON_ERROR_STOP=1 -d "$db" -f "$work/postgres-single.sql"; t_single+=" $t"; drop_db
    fresh_db; time_cmd t t_script "${psql_base[@]}" -v ON_ERROR_STOP=1 -d "$db" -f "$work/postgres-script.sql"; t_script+=" $t"; drop_db
  done
  row postgres "strata apply" "$t_strata" "" "$t_strata_cpu"
  row postgres "psql -1 -f up files concatenated (no history)" "$t_raw" "" "$t_raw_cpu"
  row postgres "strata apply vs that" "$t_strata" "$t_raw"
  row postgres "psql -1 -f strata sql --single-transaction" "$t_single" "" "$t_single_cpu"
  row postgres "strata apply vs that" "$t_strata" "$t_single"
  row postgres "psql -f strata sql (per-migration transactions)" "$t_script" "" "$t_script_cpu"
  row postgres "strata apply vs that" "$t_strata" "$t_script"
  if (( phases )); then
    row postgres "phase: strata sql (read, hash, render; offline)" "$t_sql"
    row postgres "phase: strata apply --dry-run on the applied database" "$t_dry"
  fi
fi

printf '| %-10s | %-58s | %7s | %7s | %-17s | %7s |\n' dialect contender "min s" "med s" "overhead min/med" "cpu s"
printf '|%s|%s|%s|%s|%s|%s|\n' ------------ ------------------------------------------------------------ --------- --------- ------------------- ---------
printf '%s\n' "${rows[@]}"
echo "uptime after:$(uptime | sed 's/.*up [^,]*,//')" >&2
