package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PodSecurity;
import dev.vigil.posture.pss.PsaVersion;
import org.junit.jupiter.api.Test;

/** Whole PSA messages, as kube-apiserver prints them for the same pods. */
class PsaMessagesTest {
  private static String message(String yaml, Level level, PsaVersion v) {
    var w = Corpus.read("t.yaml", yaml).workloads().getFirst();
    return PodSecurity.message(PodSecurity.evaluate(w, level, v), level, v);
  }

  @Test
  void oneContainerAtRestrictedLatest() {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: azure-vote-back}
        spec:
          template:
            spec:
              containers:
              - name: azure-vote-back
                image: redis
        """;
    assertThat(message(yaml, Level.RESTRICTED, PsaVersion.LATEST))
        .isEqualTo(
            "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"
                + " (container \"azure-vote-back\" must set"
                + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities"
                + " (container \"azure-vote-back\" must set"
                + " securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or"
                + " container \"azure-vote-back\" must set securityContext.runAsNonRoot=true),"
                + " seccompProfile (pod or container \"azure-vote-back\" must set"
                + " securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
  }

  @Test
  void twoContainersAtAnOlderVersion() {
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - {name: openhands-app-2024, image: a}
          - {name: openhands-sandbox-2024, image: b}
        """;
    assertThat(message(yaml, Level.RESTRICTED, PsaVersion.of(24)))
        .isEqualTo(
            "violates PodSecurity \"restricted:v1.24\": allowPrivilegeEscalation != false"
                + " (containers \"openhands-app-2024\", \"openhands-sandbox-2024\" must set"
                + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities"
                + " (containers \"openhands-app-2024\", \"openhands-sandbox-2024\" must set"
                + " securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or"
                + " containers \"openhands-app-2024\", \"openhands-sandbox-2024\" must set"
                + " securityContext.runAsNonRoot=true), seccompProfile (pod or containers"
                + " \"openhands-app-2024\", \"openhands-sandbox-2024\" must set"
                + " securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
  }

  @Test
  void baselineOrderAndDetails() {
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: unconfined
        spec:
          hostPID: true
          hostNetwork: true
          volumes:
          - name: root
            hostPath: {path: /}
          containers:
          - name: app
            image: a
            securityContext: {privileged: true}
            ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 81, hostPort: 80}]
        """;
    assertThat(message(yaml, Level.BASELINE, PsaVersion.LATEST))
        .isEqualTo(
            "violates PodSecurity \"baseline:latest\": forbidden AppArmor profile (annotation"
                + " must not set AppArmor profile type to"
                + " \"container.apparmor.security.beta.kubernetes.io/app=\"unconfined\"\"), host"
                + " namespaces (hostNetwork, hostPID), hostPath volumes (volume \"root\"), hostPort"
                + " (container \"app\" uses hostPorts 80, 8080), privileged (container \"app\""
                + " must not set securityContext.privileged=true)");
  }

  @Test
  void windowsAndUserNamespaceRelaxations() {
    String windows =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: w}
        spec:
          os: {name: windows}
          securityContext: {runAsNonRoot: true}
          containers: [{name: c, image: i}]
        """;
    assertThat(message(windows, Level.RESTRICTED, PsaVersion.of(25)))
        .isEqualTo("violates PodSecurity \"restricted:v1.25\": ");
    assertThat(message(windows, Level.RESTRICTED, PsaVersion.of(24)))
        .startsWith("violates PodSecurity \"restricted:v1.24\": allowPrivilegeEscalation");
    String userns =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: u}
        spec:
          hostUsers: false
          securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
          containers:
          - name: c
            image: i
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
        """;
    assertThat(message(userns, Level.RESTRICTED, PsaVersion.of(35)))
        .isEqualTo("violates PodSecurity \"restricted:v1.35\": ");
    assertThat(message(userns, Level.RESTRICTED, PsaVersion.of(34)))
        .contains("runAsNonRoot != true", "runAsUser=0 (pod must not set runAsUser=0)");
  }
}
