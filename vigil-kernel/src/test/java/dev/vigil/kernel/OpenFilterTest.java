package dev.vigil.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Rule;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The open filter computed from rule conditions, and its decision (the probe's, in Java). */
class OpenFilterTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/falco");
  private static final int RD = 0;
  private static final int WR = 1;
  private static final int RDWR = 2;

  private static List<Rule> load(String name, String text) {
    LoadResult r =
        new RulesLoader(List.of(SyscallSource.info())).load(List.of(new RulesFile(name, text)));
    assertThat(r.errors()).isEmpty();
    return r.ruleset().rules().stream().filter(Rule::enabled).toList();
  }

  private static OpenFilter of(String condition) {
    return OpenFilter.forRules(
        load(
            "t.yaml",
            """
            - rule: r
              desc: d
              condition: %s
              output: o
              priority: WARNING
            """
                .formatted(condition)));
  }

  @Test
  void bundledRulesLetReadsOfOrdinaryFilesStayInTheKernel() throws IOException {
    OpenFilter f =
        OpenFilter.forRules(
            load("vigil_rules.yaml", Files.readString(Path.of("../rules/vigil_rules.yaml"))));
    assertThat(f.enabled()).isTrue();
    assertThat(f.always() & OpenFilter.READ).as("every read sent").isZero();
    assertThat(f.sends("/etc/hostname", RD, true)).isFalse();
    assertThat(f.sends("/usr/include/stdio.h", RD, true)).isFalse();
    assertThat(f.sends("/etc/shadow", RD, true)).isTrue();
    assertThat(f.sends("/root/.ssh/id_rsa", RD, true)).isTrue();
    assertThat(f.sends("/home/u/.ssh/known_hosts", RD, true)).as("by file name").isTrue();
    assertThat(f.sends("/etc/hostname", WR, true)).as("a write below /etc").isTrue();
    assertThat(f.sends("/etc/hostname", RDWR, true)).isTrue();
    // what the probe cannot judge is sent
    assertThat(f.sends("hostname", RD, true)).as("relative").isTrue();
    assertThat(f.sends("/etc/../etc/shadow", RD, true)).as("not normalised").isTrue();
    assertThat(f.sends("/etc//shadow", RD, true)).isTrue();
    assertThat(f.sends("/etc/./shadow", RD, true)).isTrue();
    assertThat(f.sends("/etc/", RD, true)).isTrue();
    assertThat(f.sends("/x/" + "a".repeat(200), RD, true)).as("too long").isTrue();
    assertThat(f.sends("/etc/hostname", RD, false)).as("not a regular file").isTrue();
  }

  @Test
  void falcoStableRulesStillLetSomeReadsStayInTheKernel() throws IOException {
    OpenFilter f =
        OpenFilter.forRules(
            load("falco_rules.yaml", Files.readString(CORPUS.resolve("falco_rules.yaml"))));
    assertThat(f.sends("/etc/shadow", RD, true)).isTrue();
    assertThat(f.sends("/etc/hostname", WR, true)).isTrue();
    assertThat(f.always()).as("release_agent (endswith): every write").isEqualTo(OpenFilter.WRITE);
    assertThat(f.sends("/etc/hostname", RD, true)).isFalse();
    assertThat(f.sends("/usr/include/stdio.h", RD, true)).isFalse();
    // directory traversal: a raw path with "../" is not normalised, or has a component ending ".."
    assertThat(f.sends("/srv/www/../../etc/passwd", RD, true)).isTrue();
    assertThat(f.sends("/srv/a../b../id_rsa", RD, true)).isTrue();
  }

  @Test
  void dotDotInANormalisedPath() {
    OpenFilter f = of("evt.type = openat and fd.nameraw contains '../' and proc.name = x");
    assertThat(f.always()).isZero();
    assertThat(f.dotdot()).isEqualTo(OpenFilter.ALL);
    assertThat(f.sends("/a../b", RD, true)).isTrue();
    assertThat(f.sends("/a..b/c", RD, true)).isFalse();
    assertThat(f.sends("/a/b..", RD, true)).as("last component: no slash after it").isFalse();
  }

  @Test
  void conditionsItCannotReadSendEveryOpen() {
    assertThat(of("evt.type = open and fd.name contains shadow").always())
        .isEqualTo(OpenFilter.ALL);
    assertThat(of("evt.type = openat and not fd.name = /a").always()).isEqualTo(OpenFilter.ALL);
    assertThat(of("evt.type = openat and proc.name = cat").always()).isEqualTo(OpenFilter.ALL);
    assertThat(of("evt.type = openat and fd.name endswith .key").always())
        .isEqualTo(OpenFilter.ALL);
    assertThat(of("evt.type = openat and fd.name = \"\"").always()).isEqualTo(OpenFilter.ALL);
  }

  @Test
  void pathsPrefixesNamesAndClasses() {
    OpenFilter f =
        of(
            "(evt.type = openat and evt.is_open_write = true and fd.name in (/a/b, /c))"
                + " or (evt.type in (open, openat) and fd.directory = /etc/ssh)"
                + " or (evt.type = openat and fd.name glob '/home/*/.kube/config')"
                + " or (evt.type = openat and evt.is_open_read = true and fd.filename = id_rsa)"
                + " or (evt.type = execve and proc.name = x)");
    assertThat(f.always()).isZero();
    assertThat(f.exacts()).containsEntry("/a/b", OpenFilter.WRITE).containsEntry("/c", 2);
    assertThat(f.prefixes())
        .containsEntry("/etc/ssh/", OpenFilter.ALL)
        .containsEntry("/home/", OpenFilter.ALL);
    assertThat(f.names()).containsEntry("id_rsa", OpenFilter.READ);
    assertThat(f.sends("/a/b", WR, true)).isTrue();
    assertThat(f.sends("/a/b", RD, true)).isFalse();
    assertThat(f.sends("/a/bc", WR, true)).isFalse();
    assertThat(f.sends("/etc/ssh/sshd_config", RD, true)).isTrue();
    assertThat(f.sends("/home/u/.kube/config", RD, true)).isTrue();
    assertThat(f.sends("/srv/id_rsa", RD, true)).isTrue();
    assertThat(f.sends("/srv/id_rsa", WR, true)).isFalse();
    assertThat(f.sends("/srv/x", RD, true)).isFalse();
  }

  @Test
  void conjunctionsKeepTheNarrowerTestAndDropContradictions() {
    assertThat(
            of("evt.type = openat and fd.name startswith /etc and fd.name in (/etc/a, /usr/b)")
                .exacts())
        .containsOnlyKeys("/etc/a");
    assertThat(
            of("evt.type = openat and fd.name startswith /etc/ and fd.name startswith /etc/pam.d/")
                .prefixes())
        .containsOnlyKeys("/etc/pam.d/");
    OpenFilter none = of("evt.type = openat and fd.name startswith /a/ and fd.name startswith /b/");
    assertThat(none.always()).isZero();
    assertThat(none.prefixes()).isEmpty();
    assertThat(none.sends("/a/x", RD, true)).isFalse();
  }

  @Test
  void aFilterThatIsOffSendsEverything() {
    assertThat(OpenFilter.none().sends("/etc/hostname", RD, true)).isTrue();
    assertThat(OpenFilter.none().tables().on()).isFalse();
  }
}
