package dev.vigil.posture.pss;

import java.util.Map;

/** Why each Pod Security check matters and how to fix it, for finding reports. */
public final class Guide {
  private record Entry(String why, String fix) {}

  private static final Map<String, Entry> GUIDE =
      Map.ofEntries(
          Map.entry(
              "privileged",
              new Entry(
                  "Privileged containers disable most isolation and can take over the node.",
                  "Remove securityContext.privileged (--fix sets it to false).")),
          Map.entry(
              "hostNamespaces",
              new Entry(
                  "Sharing the host's network, PID or IPC namespace exposes the node's processes and"
                      + " traffic.",
                  "Remove hostNetwork/hostPID/hostIPC (--fix sets them to false).")),
          Map.entry(
              "hostPathVolumes",
              new Entry(
                  "hostPath volumes give access to the node's filesystem.",
                  "Use emptyDir, a ConfigMap or a PersistentVolumeClaim (--fix replaces the hostPath"
                      + " with an emptyDir: check that the app does not need the host's files).")),
          Map.entry(
              "hostPorts",
              new Entry(
                  "Host ports bind the node's network interfaces and bypass network policy.",
                  "Remove hostPort and expose the port through a Service (--fix removes it).")),
          Map.entry(
              "capabilities_baseline",
              new Entry(
                  "Capabilities beyond the runtime's default set widen the kernel attack surface.",
                  "Add only capabilities from the default set (--fix removes the others).")),
          Map.entry(
              "appArmorProfile",
              new Entry(
                  "An Unconfined AppArmor profile removes mandatory access control.",
                  "Use RuntimeDefault or a Localhost profile (--fix sets RuntimeDefault).")),
          Map.entry(
              "seLinuxOptions",
              new Entry(
                  "Custom SELinux types, users or roles can lift the container's confinement.",
                  "Leave seLinuxOptions type, user and role unset (--fix removes them).")),
          Map.entry(
              "procMount",
              new Entry(
                  "An Unmasked /proc exposes kernel interfaces the runtime normally hides.",
                  "Remove procMount or set it to Default (--fix sets Default).")),
          Map.entry(
              "seccompProfile_baseline",
              new Entry(
                  "An Unconfined seccomp profile allows every system call.",
                  "Use RuntimeDefault or Localhost (--fix sets RuntimeDefault).")),
          Map.entry(
              "sysctls",
              new Entry(
                  "Sysctls outside the safe set change kernel settings shared with the node.",
                  "Remove the sysctl (--fix removes it).")),
          Map.entry(
              "windowsHostProcess",
              new Entry(
                  "Windows HostProcess containers run directly on the host.",
                  "Remove windowsOptions.hostProcess (--fix sets it to false).")),
          Map.entry(
              "hostProbesAndHostLifecycle",
              new Entry(
                  "A probe or hook with a host makes the kubelet connect to arbitrary addresses.",
                  "Remove the host field so the pod IP is used (--fix removes it).")),
          Map.entry(
              "restrictedVolumes",
              new Entry(
                  "Only ephemeral and API-backed volume types are allowed at restricted: others reach"
                      + " node or network storage directly.",
                  "Use emptyDir, a PVC or a projected/ConfigMap/Secret volume (--fix replaces the"
                      + " source with an emptyDir: check that the app does not need its data).")),
          Map.entry(
              "allowPrivilegeEscalation",
              new Entry(
                  "Without no_new_privs a setuid binary can make the process root.",
                  "Set allowPrivilegeEscalation: false on every container (--fix does).")),
          Map.entry(
              "runAsNonRoot",
              new Entry(
                  "Processes running as root are one kernel bug away from root on the node.",
                  "Set runAsNonRoot: true (--fix sets it on the pod); the image must have a non-root"
                      + " USER or set runAsUser.")),
          Map.entry(
              "runAsUser",
              new Entry(
                  "runAsUser: 0 runs the process as root.",
                  "Use a non-zero UID (--fix sets 65532).")),
          Map.entry(
              "seccompProfile_restricted",
              new Entry(
                  "Without a seccomp profile every system call is allowed.",
                  "Set seccompProfile.type: RuntimeDefault on the pod (--fix does).")),
          Map.entry(
              "capabilities_restricted",
              new Entry(
                  "Dropping all capabilities removes the runtime's default set of privileges.",
                  "Set capabilities.drop: [ALL]; add back only NET_BIND_SERVICE (--fix does both).")),
          Map.entry(
              "procMount_restricted",
              new Entry(
                  "An Unmasked /proc exposes kernel interfaces the runtime normally hides.",
                  "Remove procMount or set it to Default (--fix sets Default).")));

  private Guide() {}

  public static String why(String checkId) {
    Entry e = GUIDE.get(checkId);
    return e == null ? "" : e.why();
  }

  public static String fix(String checkId) {
    Entry e = GUIDE.get(checkId);
    return e == null ? "" : e.fix();
  }
}
