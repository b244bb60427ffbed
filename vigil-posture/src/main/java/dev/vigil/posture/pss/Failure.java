package dev.vigil.posture.pss;

import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/** What a check function returns when the pod is not allowed. */
record Failure(String reason, String detail, List<Node> nodes) {}
