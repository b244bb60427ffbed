package dev.vigil.rules.load;

import dev.vigil.rules.Code;
import dev.vigil.rules.Location;
import java.util.List;

/** An error that stops loading the current file, with Falco's code and the location trail. */
public final class LoadError extends Exception {
  private static final long serialVersionUID = 1L;

  private final Code code;
  private final String reason;
  private final transient List<Location> trail;

  public LoadError(Code code, String reason, List<Location> trail) {
    super(reason, null, false, false);
    this.code = code;
    this.reason = reason;
    this.trail = List.copyOf(trail);
  }

  public Code code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public List<Location> trail() {
    return trail;
  }
}
