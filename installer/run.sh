#!/usr/bin/env bash
# installer/run.sh ARGS… — runs `zhiwang ARGS…` in the project's environment, creating it first
# when missing. `installer/run.sh demo` builds the demo community and opens the app.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_venv
exec "$VENV/bin/zhiwang" "$@"
