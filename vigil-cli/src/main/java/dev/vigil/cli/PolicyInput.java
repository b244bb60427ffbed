package dev.vigil.cli;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --k8s-version} option and reading a policy file as kube-apiserver would. */
final class PolicyInput {
  @Option(
      names = "--k8s-version",
      paramLabel = "V",
      description =
          "The kube-apiserver version to emulate, "
              + "1.24 to 1.37 (default: 1.36). Decides, for example, whether group \"*\" is valid.")
  String version = KubeVersion.DEFAULT.toString();

  KubeVersion version() {
    return KubeVersion.parse(version)
        .orElseThrow(() ->
            new UserError(
                ExitCode.USAGE,
                "unknown --k8s-version '"
                    + version
                    + "': Vigil emulates kube-apiserver "
                    + KubeVersion.OLDEST
                    + " to "
                    + KubeVersion.NEWEST));
  }

  /** Loads a policy file; a file that cannot be opened is a usage-level failure (exit 2). */
  LoadReport load(Path file) {
    KubeVersion v = version();
    checkReadable(file, "policy");
    try {
      long size = Files.size(file);
      if (size > PolicyLoader.MAX_BYTES) {
        return PolicyLoader.tooLarge(file.toString(), size, v);
      }
      return PolicyLoader.load(file.toString(), Files.readAllBytes(file), v);
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot read " + file + ": " + reason(e));
    }
  }

  /** Fails with exit code 2 unless {@code file} is a readable regular file. */
  static void checkReadable(Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new UserError(ExitCode.USAGE, what + " " + file + " is a directory, not a file");
    }
    if (!Files.exists(file)) {
      throw new UserError(ExitCode.USAGE, what + " " + file + " does not exist");
    }
    if (!Files.isReadable(file)) {
      throw new UserError(
          ExitCode.USAGE, "cannot read " + what + " " + file + ": permission denied");
    }
  }

  static String reason(IOException e) {
    return switch (e) {
      case NoSuchFileException n -> "no such file";
      case AccessDeniedException a -> "permission denied";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }
}
