package dev.vigil.cli.daemon;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP (reload) and SIGUSR1 (reopen outputs), as Falco handles them, through the JDK's {@code
 * sun.misc.Signal} (module {@code jdk.unsupported}), reached reflectively so the build stays free
 * of internal-API warnings. SIGTERM and SIGINT stay with the JVM, so shutdown hooks run.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Installs {@code action} for the signal; false when the JVM does not allow it. */
  static boolean handle(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object sig = signal.getConstructor(String.class).newInstance(name);
      Object h =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  Thread.ofVirtual().name("vigil-signal-" + name).start(action);
                  return null;
                }
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" ->
                      args != null
                          && args.length == 1
                          && System.identityHashCode(proxy) == System.identityHashCode(args[0]);
                  default -> "SignalHandler(" + name + ")";
                };
              });
      Method m = signal.getMethod("handle", signal, handler);
      Object previous = m.invoke(null, sig, h);
      if (java.util.Objects.equals(previous, handler.getField("SIG_IGN").get(null))) {
        // the JVM leaves a shutdown-class signal ignored when it was ignored at start (nohup)
        LOG.warn(
            "SIG{} was ignored by whatever started Vigil (nohup?), so it has no effect;"
                + " restart Vigil without that to use it",
            name);
        return false;
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot handle SIG{}: {}", name, e.toString());
      return false;
    }
  }
}
