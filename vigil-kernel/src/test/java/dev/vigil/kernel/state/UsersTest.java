package dev.vigil.kernel.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User and group names from a root filesystem's databases. */
class UsersTest {
  @TempDir Path root;

  private void write(String file, String content, long mtimeSeconds) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeSeconds * 1000));
  }

  @Test
  void aUserAddedWhileRunningIsNamedOnceTheHostFilesChange() throws IOException {
    write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 1000);
    write("etc/group", "root:x:0:\n", 1000);
    Users users = new Users(root, 0);
    Users.Db before = users.of(ContainerInfo.HOST, 1);
    assertThat(before.user(0)).isEqualTo("root");
    assertThat(before.user(105)).isEmpty();
    assertThat(users.of(ContainerInfo.HOST, 1))
        .as("unchanged files, same instance")
        .isSameAs(before);

    write(
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\nsshd:x:105:65534::/run/sshd:/bin/false\n",
        1001);
    write("etc/group", "root:x:0:\nsshd:x:105:\n", 1001);
    Users.Db after = users.of(ContainerInfo.HOST, 1);
    assertThat(after).isNotSameAs(before);
    assertThat(after.user(105)).isEqualTo("sshd");
    assertThat(after.group(105)).isEqualTo("sshd");
  }
}
