package dev.vigil.kernel.fields;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.RecordWriter;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertValue;
import dev.vigil.rules.AppendOutput;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Falco's stable rules bound to the syscall extractors, on binary event records. */
class SyscallRulesTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/falco");
  private static final int O_RDONLY = 0;

  static Engine<SyscallEvent> engine(String... files) throws IOException {
    List<RulesFile> rf = new ArrayList<>();
    for (String f : files) {
      rf.add(new RulesFile(f, Files.readString(CORPUS.resolve(f))));
    }
    LoadResult r = new RulesLoader(List.of(SyscallSource.info())).load(rf);
    assertThat(r.errors()).isEmpty();
    return Engine.bind(
        r.ruleset(),
        SyscallSource.info(),
        new SyscallFields(SyscallSource.info().eventTypes(), "testhost"),
        new Engine.Options(
            Engine.Matching.FIRST,
            dev.vigil.rules.Priority.DEBUG,
            List.of("container.id", "container.name", "container.image.repository")));
  }

  @Test
  void everyFieldOfFalcosRuleFilesHasAnExtractor() throws IOException {
    assertThat(engine("falco_rules.yaml").rules()).hasSize(25);
    assertThat(engine("falco_rules.yaml", "falco-incubating_rules.yaml").rules()).hasSize(56);
    assertThat(engine("falco_rules.yaml", "falco-sandbox_rules.yaml").rules()).hasSize(50);
  }

  @Test
  void catReadingShadowIsReadSensitiveFileUntrusted() throws IOException {
    Engine<SyscallEvent> engine = engine("falco_rules.yaml");
    ProcessInfo bash = Scenario.root("bash", ContainerInfo.HOST);
    ThreadInfo cat =
        Scenario.process(
            4242,
            bash,
            "cat",
            "/usr/bin/cat",
            List.of("/etc/shadow"),
            ContainerInfo.HOST,
            0,
            "root",
            34816);
    RecordWriter w = new RecordWriter(256);
    int at = Scenario.openat(w, cat, 3, "/etc/shadow", O_RDONLY);
    SyscallEvent e = Scenario.event(w, at, 1, cat, Scenario.file(3, "/etc/shadow", O_RDONLY));

    Optional<Engine.BoundRule<SyscallEvent>> m = engine.first(e);
    assertThat(m).isPresent();
    assertThat(m.get().rule().name()).isEqualTo("Read sensitive file untrusted");
    Alert a = m.get().alert(e, e.timestamp());
    assertThat(a.output()).contains("file=/etc/shadow").contains("command=cat /etc/shadow");
    assertThat(a.fields().get("fd.name")).isEqualTo(new AlertValue.Text("/etc/shadow"));
    assertThat(a.fields().get("user.uid")).isEqualTo(new AlertValue.Num("0"));
    assertThat(a.fields().get("container.id")).isEqualTo(new AlertValue.Text("host"));
  }

  @Test
  void appendOutputAddsTextAndTypedExtraFieldsToMatchingRules() throws IOException {
    AppendOutput.Match sensitive = new AppendOutput.Match("syscall", List.of("T1555"), "");
    LoadResult r =
        new RulesLoader(
                List.of(SyscallSource.info()),
                RulesLoader.BUILTIN_PLUGINS,
                List.of(
                    AppendOutput.format("ppid=%proc.ppid", sensitive),
                    AppendOutput.field("uid", "%user.uid", AppendOutput.Match.any()),
                    AppendOutput.field("who", "%user.name on %evt.hostname", sensitive),
                    AppendOutput.field("proc.name", "%user.uid", sensitive)))
            .load(
                List.of(
                    new RulesFile(
                        "falco_rules.yaml", Files.readString(CORPUS.resolve("falco_rules.yaml")))));
    assertThat(r.errors()).isEmpty();
    Engine<SyscallEvent> engine =
        Engine.bind(
            r.ruleset(),
            SyscallSource.info(),
            new SyscallFields(SyscallSource.info().eventTypes(), "testhost"),
            Engine.Options.defaults());
    ProcessInfo bash = Scenario.root("bash", ContainerInfo.HOST);
    ThreadInfo cat =
        Scenario.process(
            4242,
            bash,
            "cat",
            "/usr/bin/cat",
            List.of("/etc/shadow"),
            ContainerInfo.HOST,
            0,
            "root",
            34816);
    RecordWriter w = new RecordWriter(256);
    int at = Scenario.openat(w, cat, 3, "/etc/shadow", O_RDONLY);
    SyscallEvent e = Scenario.event(w, at, 1, cat, Scenario.file(3, "/etc/shadow", O_RDONLY));

    Alert a = engine.first(e).orElseThrow().alert(e, e.timestamp());
    assertThat(a.output()).endsWith(" ppid=" + bash.pid());
    assertThat(a.fields().get("uid")).isEqualTo(new AlertValue.Num("0"));
    assertThat(a.fields().get("who")).isEqualTo(new AlertValue.Text("root on testhost"));
    // an extra field named like one of the output's keeps that field's place, with its own value
    List<String> names = new ArrayList<>(a.fields().keySet());
    assertThat(names).doesNotHaveDuplicates().endsWith("uid", "who");
    assertThat(names.indexOf("proc.name")).isLessThan(names.indexOf("uid"));
    assertThat(a.fields().get("proc.name")).isEqualTo(new AlertValue.Num("0"));
    assertThat(a.output()).contains("cat");
    assertThat(
            r.ruleset().rule("Terminal shell in container").orElseThrow().output().text().value())
        .doesNotContain("ppid=");
  }

  @Test
  void catReadingAnOrdinaryFileMatchesNothing() throws IOException {
    Engine<SyscallEvent> engine = engine("falco_rules.yaml");
    ProcessInfo bash = Scenario.root("bash", ContainerInfo.HOST);
    ThreadInfo cat =
        Scenario.process(
            4242, bash, "cat", "/usr/bin/cat", List.of("/tmp/x"), ContainerInfo.HOST, 0, "root", 0);
    RecordWriter w = new RecordWriter(256);
    int at = Scenario.openat(w, cat, 3, "/tmp/x", O_RDONLY);
    assertThat(engine.first(Scenario.event(w, at, 1, cat, Scenario.file(3, "/tmp/x", O_RDONLY))))
        .isEmpty();
  }

  @Test
  void interactiveShellInAContainerIsTerminalShellInContainer() throws IOException {
    Engine<SyscallEvent> engine = engine("falco_rules.yaml");
    ProcessInfo runc = Scenario.root("runc", Scenario.WEB);
    ThreadInfo sh =
        Scenario.process(77, runc, "bash", "/bin/bash", List.of(), Scenario.WEB, 0, "root", 34817);
    RecordWriter w = new RecordWriter(256);
    int at = Scenario.execve(w, sh);
    SyscallEvent e = new SyscallEvent().wrap(w.buffer(), at, 1).resolve(sh, null);
    Optional<Engine.BoundRule<SyscallEvent>> m = engine.first(e);
    assertThat(m.map(r -> r.rule().name())).contains("Terminal shell in container");
    Alert a = m.get().alert(e, e.timestamp());
    assertThat(a.output()).contains("container_id=3ad7b4a1c2f0").contains("container_name=web");
  }

  @Test
  void connectFromAContainerToTheKubeApiMatchesTheStableRule() throws IOException {
    Engine<SyscallEvent> engine = engine("falco_rules.yaml");
    ProcessInfo runc = Scenario.root("runc", Scenario.WEB);
    ThreadInfo curl =
        Scenario.process(
            88,
            runc,
            "curl",
            "/usr/bin/curl",
            List.of("https://10.96.0.1"),
            Scenario.WEB,
            0,
            "root",
            0);
    FdInfo sock =
        new FdInfo(5, FdInfo.Kind.IPV4, "172.17.0.5:40000->10.96.0.1:443", "")
            .tuple(
                new byte[] {(byte) 172, 17, 0, 5},
                40000,
                new byte[] {10, 96, 0, 1},
                443,
                "tcp",
                true,
                false);
    RecordWriter w = new RecordWriter(256);
    int at = Scenario.connect(w, curl, 5);
    SyscallEvent e = new SyscallEvent().wrap(w.buffer(), at, 1).resolve(curl, sock);
    // the stable rule needs the API server's address in k8s_api_server (empty by default)
    assertThat(engine.first(e)).isEmpty();
  }
}
