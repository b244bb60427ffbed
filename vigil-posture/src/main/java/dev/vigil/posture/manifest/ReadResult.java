package dev.vigil.posture.manifest;

import dev.vigil.posture.Problem;
import java.util.List;

/**
 * What reading one whole input gave: its workloads in order, its problems, how many documents it
 * had, how many objects were skipped because their kind carries no pod template, and the sections
 * (documents) they came from.
 */
public record ReadResult(
    SourceText source,
    List<Workload> workloads,
    List<Problem> problems,
    int documents,
    int skipped,
    List<ManifestReader.Section> sections) {}
