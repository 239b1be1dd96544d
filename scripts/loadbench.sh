#!/usr/bin/env bash
# Load benchmark (see benches/load/main.rs): one vs two instances on
# PostgreSQL, and a SIGKILL takeover. Options pass through, e.g.
#   scripts/loadbench.sh --feeds 2000 --scenario kill
# The instances write files (the sink is not what is measured).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --bench load -- --run "$@"
