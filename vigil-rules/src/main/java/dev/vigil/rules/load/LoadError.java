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
  private final String hint;

  public LoadError(Code code, String reason, List<Location> trail) {
    this(code, reason, trail, "");
  }

  /** With a suggestion for the fix ({@code ""} if none). */
  public LoadError(Code code, String reason, List<Location> trail, String hint) {
    super(reason, null, false, false);
    this.code = code;
    this.reason = reason;
    this.trail = List.copyOf(trail);
    this.hint = hint;
  }

  public String hint() {
    return hint;
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
