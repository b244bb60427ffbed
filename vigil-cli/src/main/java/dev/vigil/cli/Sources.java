package dev.vigil.cli;

import dev.vigil.event.SourceInfo;
import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.RulesLoader;
import java.util.List;

/** The event sources this build of Vigil knows. */
final class Sources {
  private Sources() {}

  static List<SourceInfo> all() {
    return List.of(SyscallSource.info(), K8sAuditSource.info());
  }

  static RulesLoader loader() {
    return new RulesLoader(all());
  }
}
