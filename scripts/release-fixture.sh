#!/bin/sh
# release-fixture.sh COMMIT NAME: the schema and a few rows of each engine as the build
# of COMMIT makes them (`seed --demo`), written to models/testdata/releases/NAME.sqlite
# .gz and NAME.mysql.sql for TestUpgradeFromEveryRelease. Run once per release, from the
# repository's root, with MariaDB at 127.0.0.1:3306 (root, no password).
set -eu
commit=$1 name=$2
out=$(pwd)/models/testdata/releases
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/src" "$commit" >/dev/null
(cd "$work/src" && go build -o "$work/quality" .)
export QUALITY_ADMIN_PASSWORD=Release-fixture-1
QUALITY_DB="sqlite:$work/r.db" QUALITY_DATA_DIR="$work/data" "$work/quality" seed --demo >/dev/null
db="fixture_$name"
mysql -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
QUALITY_DB="mysql://root@tcp(127.0.0.1:3306)/$db" QUALITY_DATA_DIR="$work/mdata" "$work/quality" seed --demo >/dev/null

# SQLite: keep the first three rows of every table but schema_migrations; the triggers that keep a table
# append-only are set aside for the delete and put back as they were.
python3 - "$work/r.db" "$out/$name.sqlite" <<'PY'
import sqlite3, sys, shutil
src, dst = sys.argv[1], sys.argv[2]
shutil.copy(src, dst)
db = sqlite3.connect(dst)
triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
for name, _ in triggers:
    db.execute(f'DROP TRIGGER "{name}"')
for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").fetchall():
    db.execute(f'DELETE FROM "{table}" WHERE rowid NOT IN (SELECT rowid FROM "{table}" ORDER BY rowid LIMIT 3)')
for _, sql in triggers:
    db.execute(sql)
db.commit()
db.execute("VACUUM")
db.close()
PY
gzip -9 -n -f "$out/$name.sqlite"
# MariaDB: the same, as statements; the loader reads DELIMITER lines.
dump="mysqldump -uroot -h127.0.0.1 --compact --skip-extended-insert --skip-add-locks --no-tablespaces --triggers"
$dump --where="1 ORDER BY 1 LIMIT 3" --ignore-table="$db.schema_migrations" "$db" > "$out/$name.mysql.sql"
$dump "$db" schema_migrations >> "$out/$name.mysql.sql"
mysql -uroot -h127.0.0.1 -e "DROP DATABASE $db"
