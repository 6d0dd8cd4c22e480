#!/bin/sh
# Docs, README and source point only at files the repository has: no design notes that
# live outside it (the names below), and every relative Markdown link in docs/ and
# README.md resolves. Prints each offender; fails when there is one.
set -u
root=${1:?usage: references_check.sh SOURCE_DIR}
cd "$root" || exit 2
status=0

outside='PROTOCOL\.md|DOMAIN\.md|DESIGN\.md|STYLE\.md|\.\./shared/|PROTOCOL §'
if grep -rnE "$outside" --exclude-dir=build --exclude-dir=node_modules --exclude-dir=.git \
     --exclude-dir=artifacts --exclude=references_check.sh \
     README.md docs assets client server shared tests tools Makefile CMakeLists.txt; then
  echo "^ these name files that are not in the repository; point at the docs/ file instead" >&2
  status=1
fi

for doc in README.md docs/*.md; do
  dir=$(dirname "$doc")
  # ](target) and ](target#anchor), leaving out web addresses and in-page anchors
  grep -oE '\]\([^)#[:space:]]+' "$doc" | sed 's/^](//' | grep -vE '^[a-z]+:' | while read -r target; do
    if [ ! -e "$dir/$target" ]; then
      echo "$doc: link to a missing file: $target" >&2
      exit 1
    fi
  done || status=1
done
exit $status
