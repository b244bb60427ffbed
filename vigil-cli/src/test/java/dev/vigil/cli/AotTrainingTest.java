package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's AOT cache training run: every command it trains must still succeed (otherwise
 * {@code ./vigil} warns and starts without a cache), and it leaves nothing behind.
 */
class AotTrainingTest {
  @Test
  void everyTrainedCommandSucceedsAndTheTemporaryFilesAreRemoved() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = trainingDirs(tmp);
    assertThatCode(() -> AotTraining.main(new String[0])).doesNotThrowAnyException();
    assertThat(trainingDirs(tmp)).isEqualTo(before);
  }

  private static long trainingDirs(Path tmp) throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("vigil-aot-training")).count();
    }
  }
}
