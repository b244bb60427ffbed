#!/usr/bin/env bash
# Builds Vigil's kernel probe: vmlinux.h from this machine's BTF, then the CO-RE object with clang,
# stripped of debug info (BTF and CO-RE relocations stay). Also writes the x86_64 syscall number
# table the Java side uses to tell the probe which syscalls to report.
#   build.sh SRC_DIR WORK_DIR OUT_DIR
# Needs clang, llvm-strip, bpftool and libbpf's headers (Debian: clang llvm bpftool libbpf-dev).
set -euo pipefail
src="$1" work="$2" out="$3"
mkdir -p "$work" "$out"

missing=()
for tool in clang llvm-strip bpftool; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
[ -f /usr/include/bpf/bpf_helpers.h ] || missing+=("libbpf headers")
if [ ${#missing[@]} -gt 0 ]; then
  echo "vigil-kernel: cannot build the eBPF probe, missing: ${missing[*]}" >&2
  echo "  install them: apt-get install -y clang llvm bpftool libbpf-dev" >&2
  exit 1
fi

btf=/sys/kernel/btf/vmlinux
if [ ! -r "$btf" ]; then
  echo "vigil-kernel: $btf is missing: building the probe needs a kernel with BTF (CONFIG_DEBUG_INFO_BTF)" >&2
  exit 1
fi
if [ ! -s "$work/vmlinux.h" ] || [ "$btf" -nt "$work/vmlinux.h" ]; then
  bpftool btf dump file "$btf" format c > "$work/vmlinux.h.tmp"
  mv "$work/vmlinux.h.tmp" "$work/vmlinux.h"
fi

arch_inc=/usr/include/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
clang -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
  -I "$work" -I "$arch_inc" -c "$src/vigil.bpf.c" -o "$work/vigil.bpf.o"
llvm-strip -g "$work/vigil.bpf.o" -o "$out/vigil.bpf.o"

# name<TAB>number for every x86_64 syscall (from the kernel UAPI header clang compiled against)
awk '/^#define __NR_[a-z0-9_]+ [0-9]+$/ { sub("__NR_", "", $2); print $2 "\t" $3 }' \
  "$arch_inc/asm/unistd_64.h" > "$out/syscalls-x86_64.tsv"
grep -q '^fchmodat2' "$out/syscalls-x86_64.tsv" || printf 'fchmodat2\t452\n' >> "$out/syscalls-x86_64.tsv"
