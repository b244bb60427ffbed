package dev.vigil.posture.manifest;

import dev.vigil.posture.Problem;
import java.util.List;

/**
 * What reading one input gave: its workloads in order, its problems, how many documents it had and
 * how many objects were skipped because their kind carries no pod template.
 */
public record ReadResult(
    SourceText source,
    List<Workload> workloads,
    List<Problem> problems,
    int documents,
    int skipped) {}
