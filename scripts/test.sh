#!/usr/bin/env bash
# THE test command (README, .ci/run): formatting, lints, every test of the workspace (unit,
# property, vectors, differential, loopback adapters, doc tests), the fuzz corpus replay on stable,
# the interop tests against real programs, and a smoke run of `wire demo`.
#
# It installs what the tests need when it is missing (rustup components, apt packages, Python
# modules), so it passes from a fresh clone on a fresh machine. Peers listen on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUST_BACKTRACE=1
started=$SECONDS

step() { printf '\n==> %s (%ds)\n' "$*" $((SECONDS - started)); }

# Installs Debian packages that are missing (the protocol issues add their peers here).
need_apt() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    step "installing ${missing[*]}"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Installs Python modules that are missing.
need_pip() {
    for m in "$@"; do
        python3 -c "import ${m%%=*}" 2>/dev/null || python3 -m pip install -q "$m"
    done
}

need_rustup_component() {
    rustup component list --installed 2>/dev/null | grep -q "^$1" || rustup component add "$1"
}

# need_apt for packages whose postinst would start a system-wide daemon: while apt runs, a
# policy-rc.d that answers 101 ("action forbidden") keeps invoke-rc.d and deb-systemd-invoke from
# starting any service. It is created only if the machine has none (Debian's container images
# ship one) and removed after.
need_apt_no_start() {
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    local policy=/usr/sbin/policy-rc.d
    if [[ -e $policy ]]; then
        need_apt "$@"
    else
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod 755 "$policy"
        local status=0
        need_apt "$@" || status=$?
        $sudo rm -f "$policy"
        return "$status"
    fi
}

# Installs Postfix for the SMTP interop tests, which run a private instance of their own (config
# and queue under a temporary directory, listening on 127.0.0.1 only). The package must neither
# ask questions nor start a system-wide daemon: debconf is preseeded to "No configuration" (no
# /etc/postfix/main.cf, nothing to listen on), and need_apt_no_start keeps services from starting.
need_postfix() {
    dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q "ok installed" && return 0
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
    need_apt_no_start postfix
    # Nothing of the package may be running (a postinst that ignored the policy, or a daemon
    # started by hand earlier): stop the system-wide instance if it is up.
    if $sudo postfix status >/dev/null 2>&1; then
        $sudo postfix stop >/dev/null 2>&1 || true
    fi
}

# Installs Dovecot's POP3 server for the POP3 interop tests, which run a private instance (config,
# state and Maildir under a temporary directory, as `nobody` when root, on 127.0.0.1 only). The
# system-wide one must not run: no service starts during the install (need_apt_no_start), then
# one that did anyway is stopped and the units are disabled, so no boot starts it either.
need_dovecot() {
    dpkg-query -W -f='${Status}' dovecot-pop3d 2>/dev/null | grep -q "ok installed" && return 0
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    need_apt_no_start dovecot-pop3d
    if [[ -e /run/dovecot/master.pid ]]; then
        $sudo dovecot stop >/dev/null 2>&1 || true
    fi
    if command -v systemctl >/dev/null; then
        $sudo systemctl disable --quiet dovecot.service dovecot.socket >/dev/null 2>&1 || true
    fi
}

step "interop peers (curl, nginx, dig, kdig, unbound, swaks, aiosmtpd, postfix, dovecot)"
# The interop tests run these on 127.0.0.1 and fail when they are missing. aiosmtpd is Debian's
# (the tests run it with /usr/bin/python3, whatever `python3` is on PATH).
need_apt curl nginx dnsutils knot-dnsutils unbound nghttp2-client nghttp2-server
need_apt swaks python3-aiosmtpd bsdutils
need_pip h2
need_postfix
need_dovecot

step "toolchain"
need_rustup_component rustfmt
need_rustup_component clippy
cargo --version

step "cargo fmt --check"
cargo fmt --all --check
cargo fmt --manifest-path fuzz/Cargo.toml --all --check

step "cargo clippy (workspace, all targets, all features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy --manifest-path fuzz/Cargo.toml --all-targets --no-default-features -- -D warnings

step "library crates build without default features"
# smtp-codec@0.1.0: duesee's smtp-codec (a bench peer, renamed duesee_smtp) has the same package name.
cargo build -p framing -p http-codec -p dns-codec -p smtp-codec@0.1.0 -p pop3-codec@0.1.0 --no-default-features

step "runnable examples (cargo run --example NAME; the interop tests run them)"
cargo build --workspace --examples --all-features

step "docs (every public item documented, no broken links)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features

step "cargo test (workspace, all features, doc tests included)"
cargo test --workspace --all-features

step "fuzz corpus replay (stable, no libFuzzer)"
cargo test --manifest-path fuzz/Cargo.toml --no-default-features

step "wire demo"
cargo run -q -p wire -- demo > /tmp/wire-demo.$$.txt
grep -q '^C:' /tmp/wire-demo.$$.txt && grep -q '^S:' /tmp/wire-demo.$$.txt
rm -f /tmp/wire-demo.$$.txt

step "all tests passed"
