package dev.vigil.kernel.fields;

import dev.vigil.event.EventTypes;
import java.util.Arrays;

/** Where a named parameter sits in each event type's parameter list. */
final class Params {
  private Params() {}

  /** For each event type code, the index of parameter {@code name}, or {@code -1}. */
  static int[] indexByType(EventTypes types, String name) {
    int[] idx = new int[types.size()];
    Arrays.fill(idx, -1);
    for (EventTypes.Type t : types.all()) {
      for (int i = 0; i < t.params().size(); i++) {
        if (t.params().get(i).name().equals(name)) {
          idx[t.code()] = i;
          break;
        }
      }
    }
    return idx;
  }

  /** For each event type code, the type name of parameter {@code name}, or {@code ""}. */
  static String[] typeByType(EventTypes types, String name) {
    String[] out = new String[types.size()];
    Arrays.fill(out, "");
    for (EventTypes.Type t : types.all()) {
      for (EventTypes.Param p : t.params()) {
        if (p.name().equals(name)) {
          out[t.code()] = p.type();
          break;
        }
      }
    }
    return out;
  }
}
