package dev.vigil.bench;

import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Two builds of {@code audit policy simulate} side by side in one JVM: each jar (a {@code
 * vigil.jar}) gets its own class loader, and the two simulate the same log in alternate passes (A
 * B, B A, ...), so that whatever else the machine runs costs both alike. On this VM the same
 * command moves by 10–30% from one window to the next; a build compared this way with itself gave a
 * median ratio of 1.008 over 16 steady passes (docs/benchmarks.md). What it measures is the steady
 * state: the first passes (JIT warm-up) are left out of the ratio.
 *
 * <p>Reflection only (the two builds' classes must not meet): see {@code simulate-ab.sh}.
 *
 * <pre>java SimulateAB.java JAR_A JAR_B POLICY LOG [PASSES] [THREADS]</pre>
 */
public final class SimulateAB {
  private SimulateAB() {}

  /** Passes left out of the ratio as warm-up. */
  private static final int WARMUP = 4;

  /** One build's simulator, ready to run over the log. */
  private static final class Build {
    private final Object simulator;
    private final Method run;
    private final Object listener;

    Build(Path jar, Path policy, int threads) throws Exception {
      ClassLoader l =
          new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> version = l.loadClass("dev.vigil.k8saudit.policy.KubeVersion");
      Object v = version.getField("DEFAULT").get(null);
      Class<?> loader = l.loadClass("dev.vigil.k8saudit.policy.load.PolicyLoader");
      Object report =
          loader
              .getMethod("load", String.class, byte[].class, version)
              .invoke(null, policy.toString(), Files.readAllBytes(policy), v);
      Optional<?> p = (Optional<?>) report.getClass().getMethod("policy").invoke(report);
      Class<?> policyType = l.loadClass("dev.vigil.k8saudit.policy.Policy");
      Class<?> evaluatorType = l.loadClass("dev.vigil.k8saudit.policy.check.PolicyEvaluator");
      Object evaluator =
          evaluatorType.getConstructor(policyType, version).newInstance(p.orElseThrow(), v);
      Class<?> options = l.loadClass("dev.vigil.k8saudit.policy.simulate.Simulator$Options");
      Object o =
          options
              .getConstructor(int.class, boolean.class, int.class)
              .newInstance(threads, false, 10);
      Class<?> simulatorType = l.loadClass("dev.vigil.k8saudit.policy.simulate.Simulator");
      Constructor<?> c = simulatorType.getConstructor(evaluatorType, Optional.class, options);
      simulator = c.newInstance(evaluator, Optional.empty(), o);
      Class<?> listenerType = l.loadClass("dev.vigil.k8saudit.policy.simulate.Simulator$Listener");
      listener = Proxy.newProxyInstance(l, new Class<?>[] {listenerType}, (proxy, m, args) -> null);
      run = simulatorType.getMethod("run", List.class, OutputStream.class, listenerType);
    }

    /** One pass over {@code log}: its wall-clock nanoseconds. */
    long pass(Path log) throws Exception {
      long t = System.nanoTime();
      run.invoke(simulator, List.of(log), OutputStream.nullOutputStream(), listener);
      return System.nanoTime() - t;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: SimulateAB JAR_A JAR_B POLICY LOG [PASSES] [THREADS]");
      System.exit(2);
    }
    Path policy = Path.of(args[2]);
    Path log = Path.of(args[3]);
    int passes = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    Build[] b = {
      new Build(Path.of(args[0]), policy, threads), new Build(Path.of(args[1]), policy, threads)
    };
    List<Double> ratios = new ArrayList<>();
    List<Double> as = new ArrayList<>();
    List<Double> bs = new ArrayList<>();
    for (int p = 0; p < passes; p++) {
      int first = p % 2;
      long[] t = new long[2];
      t[first] = b[first].pass(log);
      t[1 - first] = b[1 - first].pass(log);
      System.out.printf("pass %2d: A %5d ms  B %5d ms%n", p, t[0] / 1_000_000, t[1] / 1_000_000);
      if (p >= WARMUP) {
        as.add(t[0] / 1e6);
        bs.add(t[1] / 1e6);
        ratios.add((double) t[1] / t[0]);
      }
    }
    if (ratios.isEmpty()) {
      return;
    }
    Collections.sort(as);
    Collections.sort(bs);
    Collections.sort(ratios);
    System.out.printf(
        "steady passes %d: median A %.0f ms, B %.0f ms; median B/A %.3f (%.3f … %.3f)%n",
        ratios.size(),
        as.get(as.size() / 2),
        bs.get(bs.size() / 2),
        ratios.get(ratios.size() / 2),
        ratios.getFirst(),
        ratios.getLast());
  }
}
