package dev.vigil.rules.load;

import dev.vigil.rules.Code;
import dev.vigil.rules.Diagnostic;
import dev.vigil.rules.Location;
import java.util.ArrayList;
import java.util.List;

/** Collects the diagnostics of one rules file as loading and compiling proceed. */
public final class Diagnostics {
  private final List<Diagnostic> list = new ArrayList<>();

  public void warn(Code code, String message, List<Location> trail) {
    list.add(new Diagnostic(code, message, trail));
  }

  public void error(LoadError e) {
    list.add(new Diagnostic(e.code(), e.reason(), e.trail(), e.hint()));
  }

  public void add(Diagnostic d) {
    list.add(d);
  }

  public boolean hasErrors() {
    return list.stream().anyMatch(d -> d.severity() == dev.vigil.rules.Severity.ERROR);
  }

  public List<Diagnostic> all() {
    return List.copyOf(list);
  }
}
