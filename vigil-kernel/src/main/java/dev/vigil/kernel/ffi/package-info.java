/**
 * The only code in Vigil that touches native memory: bindings to {@code libbpf.so.1} and libc
 * through the FFM API, the loader of Vigil's eBPF probe, and the reader of its BPF ring buffer.
 * Everything above this package sees plain Java types.
 */
@NullMarked
package dev.vigil.kernel.ffi;

import org.jspecify.annotations.NullMarked;
