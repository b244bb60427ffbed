package dev.vigil.kernel.fields;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text renderings of raw syscall values. */
class RenderTest {

  @Test
  void ptraceRequestsHaveTheirLinuxNumbers() {
    assertThat(Render.ptraceRequest(0)).isEqualTo("PTRACE_TRACEME");
    assertThat(Render.ptraceRequest(9)).isEqualTo("PTRACE_SINGLESTEP");
    assertThat(Render.ptraceRequest(12)).isEqualTo("PTRACE_GETREGS");
    assertThat(Render.ptraceRequest(14)).isEqualTo("PTRACE_GETFPREGS");
    assertThat(Render.ptraceRequest(16)).isEqualTo("PTRACE_ATTACH");
    assertThat(Render.ptraceRequest(17)).isEqualTo("PTRACE_DETACH");
    assertThat(Render.ptraceRequest(24)).isEqualTo("PTRACE_SYSCALL");
    assertThat(Render.ptraceRequest(0x4200)).isEqualTo("PTRACE_SETOPTIONS");
    assertThat(Render.ptraceRequest(0x4206)).isEqualTo("PTRACE_SEIZE");
    assertThat(Render.ptraceRequest(0x4207)).isEqualTo("PTRACE_INTERRUPT");
  }

  @Test
  void executableFlagsAreNamedInFalcosOrder() {
    assertThat(Render.exeFlags(1 | 4)).isEqualTo("EXE_WRITABLE|EXE_FROM_MEMFD");
    assertThat(Render.exeFlags(8 | 1)).isEqualTo("EXE_WRITABLE|EXE_LOWER_LAYER");
    assertThat(Render.exeFlags(2)).isEqualTo("EXE_UPPER_LAYER");
    assertThat(Render.exeFlags(0)).isEqualTo("0");
  }

  @Test
  void unknownPtraceRequestsAreTheirNumber() {
    assertThat(Render.ptraceRequest(10)).isEqualTo("10");
    assertThat(Render.ptraceRequest(-1)).isEqualTo("-1");
    assertThat(Render.ptraceRequest(1L << 40)).isEqualTo(Long.toString(1L << 40));
  }
}
