package dev.vigil.kernel.fields;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldResolution;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.RecordWriter;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Values of {@code evt.*} fields on records built by name. */
class EventFieldsTest {
  private static final SyscallFields FIELDS = new SyscallFields(Scenario.TYPES, "node-1");
  private static final long AT_FDCWD = -100;

  private static ThreadInfo shell(String cwd) {
    ThreadInfo t =
        Scenario.process(
            4242,
            Scenario.root("sshd", ContainerInfo.HOST),
            "chmod",
            "/usr/bin/chmod",
            List.of(),
            ContainerInfo.HOST,
            0,
            "root",
            34816);
    t.process().cwd(cwd);
    return t;
  }

  /** A field as a condition writes it ({@code evt.abspath.src}), rendered as outputs show it. */
  private static @Nullable String field(String name, SyscallEvent e) {
    if (!(SyscallSource.info().fields().resolve(name, "")
        instanceof FieldResolution.Resolved(FieldDef def, String arg))) {
      throw new IllegalArgumentException("not a field: " + name);
    }
    return FIELDS.extractor(def, arg).format(e);
  }

  private static SyscallEvent event(ThreadInfo t, String type, long ret, Map<String, ?> params) {
    RecordWriter w = new RecordWriter(256);
    int at = Scenario.record(w, t, Scenario.T0, type, ret, params);
    return new SyscallEvent().wrap(w.buffer(), at, 1).resolve(t, null);
  }

  @Test
  void abspathOfFchmodatIsItsFilenameMadeAbsolute() {
    SyscallEvent e =
        event(
            shell("/tmp"),
            "fchmodat",
            0,
            Map.of("dirfd", AT_FDCWD, "filename", ".bash", "mode", 04755L));
    assertThat(field("evt.abspath", e)).isEqualTo("/tmp/.bash");
  }

  @Test
  void abspathOfSymlinkatIsTheLinkNotItsTarget() {
    SyscallEvent e =
        event(
            shell("/root"),
            "symlinkat",
            0,
            Map.of("target", "/dev/null", "linkdirfd", AT_FDCWD, "linkpath", ".bash_history"));
    assertThat(field("evt.abspath", e)).isEqualTo("/root/.bash_history");
    assertThat(field("evt.abspath.src", e)).isEqualTo("/root/.bash_history");
    assertThat(field("evt.abspath.dst", e)).isEqualTo("/root/.bash_history");
  }

  @Test
  void abspathOfOpenatUnlinkatAndRenameat() {
    ThreadInfo t = shell("/var/log");
    assertThat(
            field(
                "evt.abspath",
                event(t, "openat", 3, Map.of("dirfd", AT_FDCWD, "name", "syslog", "flags", 1L))))
        .isEqualTo("/var/log/syslog");
    assertThat(
            field(
                "evt.abspath",
                event(
                    t, "unlinkat", 0, Map.of("dirfd", AT_FDCWD, "name", "../tmp/x", "flags", 0L))))
        .isEqualTo("/var/tmp/x");
    SyscallEvent mv =
        event(
            t,
            "renameat",
            0,
            Map.of("olddirfd", AT_FDCWD, "oldpath", "a", "newdirfd", AT_FDCWD, "newpath", "/b"));
    assertThat(field("evt.abspath", mv)).isEqualTo("/var/log/a");
    assertThat(field("evt.abspath.src", mv)).isEqualTo("/var/log/a");
    assertThat(field("evt.abspath.dst", mv)).isEqualTo("/b");
  }

  @Test
  void flagsRenderByTheirCallsFlagNames() {
    ThreadInfo t = shell("/");
    SyscallEvent open =
        event(t, "openat", 3, Map.of("dirfd", AT_FDCWD, "name", "/var/log/x", "flags", 0x201L));
    SyscallEvent unlink =
        event(t, "unlinkat", 0, Map.of("dirfd", AT_FDCWD, "name", "/var/log/x", "flags", 0L));
    SyscallEvent rmdir =
        event(t, "unlinkat", 0, Map.of("dirfd", AT_FDCWD, "name", "/var/log/d", "flags", 0x200L));
    SyscallEvent dup3 = event(t, "dup3", 1, Map.of("oldfd", 3L, "newfd", 1L, "flags", 0x80000L));
    SyscallEvent memfdExec = event(t, "execve", 0, Map.of("exe", "3", "flags", 5L));
    assertThat(field("evt.arg.flags", open)).isEqualTo("O_WRONLY|O_TRUNC");
    assertThat(field("evt.arg.flags", unlink)).isEqualTo("0");
    assertThat(field("evt.arg.flags", rmdir)).isEqualTo("AT_REMOVEDIR");
    assertThat(field("evt.arg.flags", dup3)).isEqualTo("524288");
    assertThat(field("evt.arg.flags", memfdExec)).isEqualTo("EXE_WRITABLE|EXE_FROM_MEMFD");
    assertThat(field("evt.rawarg.flags", rmdir)).isEqualTo("512");
    assertThat(field("evt.args", rmdir))
        .isEqualTo("res=0 dirfd=-100 name=/var/log/d flags=AT_REMOVEDIR");
  }

  @Test
  void creatIsNeitherAReadNorAWriteOpenAndNeverReportsACreatedFile() {
    ThreadInfo t = shell("/");
    Map<String, Object> params = Map.of("name", "/var/log/auth.log", "mode", 0644L);
    SyscallEvent creat = event(t, "creat", 3, params);
    assertThat(field("evt.is_open_read", creat)).isEqualTo("false");
    assertThat(field("evt.is_open_write", creat)).isEqualTo("false");
    assertThat(field("evt.is_open_create", creat)).isEqualTo("false");
    assertThat(field("evt.is_open_exec", creat)).isEqualTo("false");
    SyscallEvent exec = event(t, "creat", 3, Map.of("name", "/tmp/x", "mode", 0755L));
    assertThat(field("evt.is_open_exec", exec)).isEqualTo("true");
  }

  @Test
  void openFlagsOfOpenat() {
    ThreadInfo t = shell("/");
    long created = 0x241L | Render.O_F_CREATED;
    SyscallEvent write =
        event(t, "openat", 3, Map.of("dirfd", AT_FDCWD, "name", "/tmp/x", "flags", created));
    assertThat(field("evt.is_open_write", write)).isEqualTo("true");
    assertThat(field("evt.is_open_read", write)).isEqualTo("false");
    assertThat(field("evt.is_open_create", write)).isEqualTo("true");
    SyscallEvent rdwr =
        event(t, "openat", 3, Map.of("dirfd", AT_FDCWD, "name", "/tmp/x", "flags", 2L));
    assertThat(field("evt.is_open_read", rdwr)).isEqualTo("true");
    assertThat(field("evt.is_open_write", rdwr)).isEqualTo("true");
    assertThat(field("evt.is_open_create", rdwr)).isEqualTo("false");
    assertThat(field("evt.is_open_write", event(t, "unlinkat", 0, Map.of()))).isNull();
  }
}
