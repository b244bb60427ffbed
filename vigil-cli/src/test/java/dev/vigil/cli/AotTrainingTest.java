package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache training run: every command it trains must still succeed (otherwise
 * {@code ./vigil} warns and starts without a cache), and it leaves nothing behind.
 */
class AotTrainingTest {
  @TempDir Path tmp;

  @Test
  void everyTrainedCommandSucceedsAndTheTemporaryFilesAreRemoved() throws IOException {
    // a directory of its own: other ./vigil launchers may be training in the system's at the time
    assertThatCode(() -> AotTraining.main(new String[] {tmp.toString()}))
        .doesNotThrowAnyException();
    assertThat(trainingDirs(tmp)).isZero();
  }

  private static long trainingDirs(Path tmp) throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("vigil-aot-training")).count();
    }
  }
}
