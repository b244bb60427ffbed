package dev.vigil.posture.pss;

import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A failed check: PSA's check ID, its forbidden reason and detail (PSA's exact strings), and the
 * nodes that caused it, first the most precise one.
 */
public record CheckResult(String id, Level level, String reason, String detail, List<Node> nodes) {
  /** {@code reason (detail)}, as PSA joins them. */
  public String message() {
    return detail.isEmpty() ? reason : reason + " (" + detail + ")";
  }
}
