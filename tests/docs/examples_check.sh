#!/bin/sh
# docs/deployment.md shows the shipped examples (server/dist/) as they are: each file's whole
# text must appear in it verbatim, so the guide and the files an administrator copies agree.
set -u
root=${1:?usage: examples_check.sh SOURCE_DIR}
cd "$root" || exit 2
status=0
for example in nginx-keha.conf Caddyfile.keha keha-backup.service keha-backup.timer haproxy-keha.cfg; do
  if ! python3 - "server/dist/$example" docs/deployment.md <<'PY'
import sys
example, doc = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
sys.exit(0 if example in doc else 1)
PY
  then
    echo "docs/deployment.md does not show server/dist/$example as it is" >&2
    status=1
  fi
done
exit $status
