// The floor of any tracepoint-based probe, for `bench.py decompose` (docs/benchmarks.md):
// a program on the same BTF tracepoint as Vigil's probe (sys_exit) that does nothing. Attaching
// any program there turns on the kernel's syscall-tracepoint work for every task, so every
// syscall's entry and exit take the slow path and call the program. What this costs a workload
// is the part of the probe's overhead that no program body can save on a kernel where fentry/
// fexit and kprobes are not available.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_exit")
int vigil_noop(void *ctx)
{
	return 0;
}
