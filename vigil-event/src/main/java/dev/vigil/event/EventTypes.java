package dev.vigil.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event types of one source: name, Vigil's code (a dense index), category and parameters.
 *
 * <p>Codes are dense ({@code 0..size()-1}) so that the rule engine's event-type index can be an
 * array. {@link Type#weight()} is how many of Falco's event codes the name stands for (entry and
 * exit), which Falco's "too many event types" warning counts.
 */
public final class EventTypes {

  /** One parameter of an event type, as {@code evt.arg.NAME} reads it. */
  public record Param(String name, String type) {}

  /**
   * One event type.
   *
   * @param code Vigil's dense code
   * @param name the name rules use ({@code openat}, {@code execve})
   * @param category {@code syscall}, {@code meta}, {@code tracepoint}, {@code plugin} or the
   *     source's own
   * @param weight how many Falco event codes this name stands for
   * @param params the parameters of the (exit) event
   */
  public record Type(int code, String name, String category, int weight, List<Param> params) {
    public Type {
      params = List.copyOf(params);
    }
  }

  private final List<Type> types;
  private final Map<String, Type> byName;
  private final int totalWeight;

  private EventTypes(List<Type> types) {
    this.types = List.copyOf(types);
    Map<String, Type> map = new HashMap<>();
    int weight = 0;
    for (Type t : types) {
      map.put(t.name(), t);
      weight += t.weight();
    }
    this.byName = map;
    this.totalWeight = weight;
  }

  /** A source with a single event type (for example {@code k8s_audit}). */
  public static EventTypes single(String name, String category) {
    return new EventTypes(List.of(new Type(0, name, category, 1, List.of())));
  }

  /**
   * Parses an event table: {@code name<TAB>category<TAB>weight<TAB>params}, params being {@code -}
   * or {@code name:TYPE} pairs separated by commas.
   */
  public static EventTypes parse(String text) {
    List<Type> types = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      if (cols.length != 4) {
        throw new IllegalArgumentException("event table line " + (i + 1) + ": expected 4 columns");
      }
      List<Param> params = new ArrayList<>();
      if (!cols[3].equals("-")) {
        for (String p : cols[3].split(",", -1)) {
          int colon = p.indexOf(':');
          params.add(
              colon < 0
                  ? new Param(p, "")
                  : new Param(p.substring(0, colon), p.substring(colon + 1)));
        }
      }
      types.add(new Type(types.size(), cols[0], cols[1], Integer.parseInt(cols[2]), params));
    }
    return new EventTypes(types);
  }

  public int size() {
    return types.size();
  }

  public List<Type> all() {
    return types;
  }

  public Optional<Type> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Type byCode(int code) {
    return types.get(code);
  }

  /** The sum of all weights: the size of "every event type" in Falco's counting. */
  public int totalWeight() {
    return totalWeight;
  }
}
