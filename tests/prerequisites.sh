# Checks shared by ./run, ./test and .ci/run (sourced, not run): the Rust
# toolchain the lock file needs, and a Node.js recent enough for the test
# tools. Each prints what is wrong and what to do, and stops the script.

# The Rust version Cargo.toml declares (`rust-version`): the lock file's
# crates need it.
RUST_NEEDED="$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml | head -n 1)"

# Stops unless `rustc` and `cargo` are on PATH and rustc is RUST_NEEDED or later.
require_rust() {
  local help="Install it with rustup (https://rustup.rs), then run: rustup update stable"
  if ! command -v rustc >/dev/null 2>&1 || ! command -v cargo >/dev/null 2>&1; then
    echo "Rust $RUST_NEEDED or later is needed, and rustc or cargo is not on PATH." >&2
    echo "$help" >&2
    exit 1
  fi
  local found
  found="$(rustc --version | awk '{print $2}')"
  if [ "$(printf '%s\n%s\n' "$RUST_NEEDED" "${found%%-*}" | sort -V | head -n 1)" != "$RUST_NEEDED" ]; then
    echo "Rust $RUST_NEEDED or later is needed; this machine has rustc $found." >&2
    echo "$help" >&2
    exit 1
  fi
}

# The Node.js major version the test tools need (playwright-core).
NODE_NEEDED=20
# Where a Node.js runtime is installed through npm when the machine's is too
# old (Debian 12 packages Node.js 18).
NODE_RUNTIME_DIR="$PWD/tests/.node-runtime"

node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# Makes `node` on PATH Node.js NODE_NEEDED or later, for the rest of the
# script: the machine's when recent enough, else the npm package
# `node@NODE_NEEDED` (an official Node.js build) installed once into
# NODE_RUNTIME_DIR and put first on PATH. Needs `npm` (Debian's will do).
ensure_node() {
  if command -v node >/dev/null 2>&1 && [ "$(node_major)" -ge "$NODE_NEEDED" ]; then
    return 0
  fi
  local bin="$NODE_RUNTIME_DIR/node_modules/.bin"
  if ! [ -x "$bin/node" ] || [ "$(PATH="$bin:$PATH" node_major)" -lt "$NODE_NEEDED" ]; then
    echo "Node.js $NODE_NEEDED or later is needed (this machine has $(node --version 2>/dev/null || echo none));"
    echo "installing the npm package node@$NODE_NEEDED into $NODE_RUNTIME_DIR..."
    mkdir -p "$NODE_RUNTIME_DIR"
    npm install --prefix "$NODE_RUNTIME_DIR" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "node@$NODE_NEEDED" \
      || { echo "Could not install Node.js $NODE_NEEDED through npm: install Node.js $NODE_NEEDED or later (https://nodejs.org) and run again." >&2; exit 1; }
  fi
  export PATH="$bin:$PATH"
  if [ "$(node_major)" -lt "$NODE_NEEDED" ]; then
    echo "Node.js $NODE_NEEDED or later is still not first on PATH ($(node --version)); install it and run again." >&2
    exit 1
  fi
  echo "Using Node.js $(node --version) from $bin"
}
