# shellcheck shell=bash disable=SC2034
# Shared helpers for the scripts in scripts/. Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Every message goes to stderr, so that a script's stdout stays its result.

# The repository root (the parent of scripts/).
NGOAIVU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }
die() {
    printf '==> ERROR: %s\n' "$*" >&2
    exit 1
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# True when the Debian package is installed.
deb_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# apt_install PKG...: install the Debian packages that are missing, quietly.
# `apt-get update` runs at most once per script run.
_NGOAIVU_APT_UPDATED=0
apt_install() {
    local missing=() p
    for p in "$@"; do
        deb_installed "$p" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get to install them"
    log "installing Debian packages: ${missing[*]}"
    local logf
    logf="$(mktemp /tmp/ngoaivu-apt.XXXXXX)"
    if [[ $_NGOAIVU_APT_UPDATED -eq 0 ]]; then
        if ! as_root apt-get update -qq >"$logf" 2>&1; then
            cat "$logf" >&2
            rm -f "$logf"
            die "apt-get update failed"
        fi
        _NGOAIVU_APT_UPDATED=1
    fi
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}" >"$logf" 2>&1; then
        tail -n 40 "$logf" >&2
        rm -f "$logf"
        die "apt-get install ${missing[*]} failed"
    fi
    rm -f "$logf"
}

# The bin directory of the newest PostgreSQL server from Debian's packages
# (/usr/lib/postgresql/VERSION/bin), or nothing.
pg_bindir() {
    local d best="" bestv=0 v
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]] || continue
        v="$(basename "$(dirname "$d")")"
        [[ "$v" =~ ^[0-9]+$ ]] || continue
        if ((v > bestv)); then
            bestv=$v
            best=$d
        fi
    done
    [[ -n "$best" ]] && printf '%s\n' "$best"
}

# Make sure a PostgreSQL server is installed (Debian's `postgresql`).
# The package's post-install would create and start a default cluster on
# port 5432; we never use it, so tell postgresql-common not to create it.
ensure_postgresql() {
    if [[ -n "$(pg_bindir)" ]] && command -v pg_isready >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; then
        return 0
    fi
    if ! deb_installed postgresql-common; then
        as_root mkdir -p /etc/postgresql-common/createcluster.d
        printf '# written by ngoaivu scripts: no default cluster\ncreate_main_cluster = false\n' |
            as_root tee /etc/postgresql-common/createcluster.d/ngoaivu-no-main.conf >/dev/null
    fi
    apt_install postgresql postgresql-client
    [[ -n "$(pg_bindir)" ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
}

# A free TCP port on 127.0.0.1.
free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

# Seconds since the epoch, with fractions.
now() { date +%s.%N; }
