#!/bin/sh
# mlprov image entrypoint: make the container's writes go to one configurable folder, let git read a mounted
# repository owned by another uid, then run mlprov with the given arguments.
#
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" -w /work mlprov gate
#
# - MLPROV_STATE_DIR (default /tmp/mlprov) holds everything the container writes: reports
#   (MLPROV_REPORTS_DIR, default $MLPROV_STATE_DIR/reports), caches (MLPROV_CACHE_DIR, default
#   $MLPROV_STATE_DIR/cache) and HOME when the uid has none (an arbitrary --user has no passwd entry).
#   Point MLPROV_REPORTS_DIR at the mount (e.g. /work/reports) to keep the reports on the host.
# - A folder that cannot be created or written is one line on stderr and exit 2, never a traceback.
# - git: safe.directory '*' through GIT_CONFIG_* (works for any uid, without writing a config file; the image
#   also sets it with git config --system), so the mount's "dubious ownership" does not stop changed-products.
set -eu

state="${MLPROV_STATE_DIR:-/tmp/mlprov}"
: "${MLPROV_REPORTS_DIR:=$state/reports}"
: "${MLPROV_CACHE_DIR:=$state/cache}"
export MLPROV_REPORTS_DIR MLPROV_CACHE_DIR

writable() {
    # $1: variable name, $2: folder
    if ! mkdir -p "$2" 2>/dev/null || ! [ -w "$2" ]; then
        echo "mlprov: $1=$2 is not writable by uid $(id -u); mount a folder this uid can write, or set $1 to one (e.g. /tmp/mlprov/...)" >&2
        exit 2
    fi
}

writable MLPROV_REPORTS_DIR "$MLPROV_REPORTS_DIR"
writable MLPROV_CACHE_DIR "$MLPROV_CACHE_DIR"

if [ -z "${HOME:-}" ] || [ "$HOME" = / ] || ! [ -w "$HOME" ]; then
    HOME="$state/home"
    writable HOME "$HOME"
    export HOME
fi

count="${GIT_CONFIG_COUNT:-0}"
export "GIT_CONFIG_KEY_${count}=safe.directory" "GIT_CONFIG_VALUE_${count}=*"
GIT_CONFIG_COUNT=$((count + 1))
export GIT_CONFIG_COUNT

exec "${MLPROV_BIN:-mlprov}" "$@"
