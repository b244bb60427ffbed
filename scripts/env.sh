# Shared by ./vigil and ./run-tests (sourced, not run): finds a JDK 25 and makes sure the build
# tools are there, installing Debian packages when running as root on a machine that lacks them.

# Prints the major version of the JDK at $1, or nothing.
vigil_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

# Prints a JDK 25+ home: JAVA_HOME if it is one, else the first /usr/lib/jvm/*25*.
vigil_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    local v; v="$(vigil_java_major "$JAVA_HOME")"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  local d
  for d in /usr/lib/jvm/*25*; do
    if [ -x "$d/bin/java" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# Installs the Debian packages named in $@ that are missing, if we are root and apt-get exists.
# Progress goes to stderr. Returns non-zero if something is still missing.
vigil_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "missing packages: ${missing[*]} (install them: apt-get install -y ${missing[*]})" >&2
    return 1
  fi
  echo "installing ${missing[*]} (apt-get)..." >&2
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >&2
}

# Makes sure mvn is on the PATH, installing Debian's maven if needed.
vigil_ensure_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  vigil_apt_install maven && command -v mvn >/dev/null 2>&1
}

# The packages building Vigil's eBPF probe needs (clang, llvm-strip, bpftool, libbpf headers).
vigil_ensure_probe_build_packages() {
  vigil_apt_install clang llvm bpftool libbpf-dev
}

# What the tests need besides the build: runc, busybox-static and script(1) for real containers,
# gcc and libc6-dev for the static helper that performs Falco's event-generator scenarios.
vigil_ensure_test_packages() {
  vigil_apt_install runc busybox-static bsdutils gcc libc6-dev
}
