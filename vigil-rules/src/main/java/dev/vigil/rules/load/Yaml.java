package dev.vigil.rules.load;

import dev.vigil.rules.Code;
import dev.vigil.rules.Location;
import dev.vigil.rules.text.Origin;
import dev.vigil.rules.text.ScalarMap;
import dev.vigil.rules.text.SourceFile;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML access with positions: composes documents to nodes (never plain maps, which lose marks) and
 * offers the typed decoding Falco's reader does, with its messages.
 */
final class Yaml {
  /** At most this many aliases to collections per file: defuses "billion laughs" documents. */
  static final int MAX_COLLECTION_ALIASES = 100;

  /** Largest rules file read, in characters. */
  static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

  private final SourceFile file;

  Yaml(SourceFile file) {
    this.file = file;
  }

  SourceFile file() {
    return file;
  }

  /** Composes every document of the file; YAML syntax errors become a positioned LoadError. */
  List<Node> documents() throws LoadError {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file.name())
            .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
            .setCodePointLimit(MAX_CODE_POINTS)
            .setAllowRecursiveKeys(false)
            // the whole file in one window: scanning a huge scalar must not re-copy the window
            .setBufferSize(Math.max(1024, file.content().length() + 1))
            .build();
    List<Node> docs = new ArrayList<>();
    try {
      for (Node n : new Compose(settings).composeAllFromString(file.content())) {
        docs.add(n);
      }
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String problem = e.getProblem();
      String context = e.getContext();
      String message = context == null || context.isEmpty() ? problem : context + ": " + problem;
      throw new LoadError(
          Code.LOAD_ERR_YAML_PARSE,
          message == null ? "invalid YAML" : message,
          List.of(location("rules content", "", m)));
    } catch (YamlEngineException e) {
      String message = e.getMessage();
      throw new LoadError(
          Code.LOAD_ERR_YAML_PARSE,
          message == null ? "invalid YAML" : message,
          List.of(Location.at("rules content", "", file, 0)));
    } catch (StackOverflowError e) {
      throw new LoadError(
          Code.LOAD_ERR_YAML_PARSE,
          "YAML nesting is too deep",
          List.of(Location.at("rules content", "", file, 0)));
    }
    return docs;
  }

  Location location(String kind, String name, @Nullable Mark mark) {
    return Location.at(kind, name, file, offset(mark));
  }

  Location location(String kind, String name, Node node) {
    return Location.at(kind, name, file, start(node));
  }

  int offset(@Nullable Mark mark) {
    return mark == null ? 0 : file.offset(mark.getLine() + 1, mark.getColumn() + 1);
  }

  int start(Node node) {
    return offset(node.getStartMark().orElse(null));
  }

  int end(Node node) {
    return offset(node.getEndMark().orElse(null));
  }

  static boolean isNull(@Nullable Node n) {
    return n == null || n.getTag().equals(Tag.NULL);
  }

  /** The value for {@code key} in a mapping (the first, if repeated), or null. */
  static @Nullable Node get(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  static @Nullable Node keyNode(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return k;
      }
    }
    return null;
  }

  static boolean has(MappingNode map, String key) {
    return get(map, key) != null;
  }

  /** Keys that are not in {@code allowed}, with their nodes, in file order. */
  static List<ScalarNode> unknownKeys(MappingNode map, Set<String> allowed) {
    List<ScalarNode> out = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && !allowed.contains(k.getValue())) {
        out.add(k);
      }
    }
    return out;
  }

  /** A text for a scalar's value that remembers the scalar's place in the file. */
  Text text(ScalarNode node, Origin.Role role, String name) {
    ScalarMap map = new ScalarMap(file, start(node), end(node), node.getValue());
    return Text.of(node.getValue(), new Origin(role, name, map, 0));
  }

  Origin origin(ScalarNode node, Origin.Role role, String name) {
    return new Origin(role, name, new ScalarMap(file, start(node), end(node), node.getValue()), 0);
  }

  // ---- Falco's decode_val -----------------------------------------------------------------------

  /** A required, non-empty scalar. */
  ScalarNode scalar(MappingNode item, String key, List<Location> ctx) throws LoadError {
    Optional<ScalarNode> s = optionalScalar(item, key, ctx);
    if (s.isEmpty()) {
      throw validate("Item has no mapping for key '" + key + "'", ctx);
    }
    return s.get();
  }

  /** An optional scalar: absent gives empty; present must be a non-null, non-empty scalar. */
  Optional<ScalarNode> optionalScalar(MappingNode item, String key, List<Location> ctx)
      throws LoadError {
    Node val = get(item, key);
    if (val == null) {
      return Optional.empty();
    }
    if (isNull(val)) {
      throw validate("Mapping for key '" + key + "' is empty", ctx);
    }
    List<Location> valCtx = with(ctx, location("value for", key, val));
    if (!(val instanceof ScalarNode s)) {
      throw validate("Value is not a scalar value", valCtx);
    }
    if (s.getValue().isEmpty()) {
      throw validate("Value must be non-empty", valCtx);
    }
    return Optional.of(s);
  }

  String string(MappingNode item, String key, List<Location> ctx) throws LoadError {
    return scalar(item, key, ctx).getValue();
  }

  Optional<Boolean> optionalBool(MappingNode item, String key, List<Location> ctx)
      throws LoadError {
    Optional<ScalarNode> s = optionalScalar(item, key, ctx);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Optional<Boolean> b = parseBool(s.get().getValue());
    if (b.isEmpty()) {
      throw validate(
          "Can't decode YAML scalar value", with(ctx, location("value for", key, s.get())));
    }
    return b;
  }

  boolean bool(MappingNode item, String key, List<Location> ctx) throws LoadError {
    if (get(item, key) == null) {
      throw validate("Item has no mapping for key '" + key + "'", ctx);
    }
    return optionalBool(item, key, ctx).orElse(false);
  }

  Optional<Long> optionalUnsigned(MappingNode item, String key, List<Location> ctx)
      throws LoadError {
    Optional<ScalarNode> s = optionalScalar(item, key, ctx);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      long v = Long.parseLong(s.get().getValue().strip());
      if (v >= 0) {
        return Optional.of(v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw validate(
        "Can't decode YAML scalar value", with(ctx, location("value for", key, s.get())));
  }

  /** yaml-cpp's boolean spellings. */
  static Optional<Boolean> parseBool(String s) {
    return switch (s) {
      case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" ->
          Optional.of(true);
      case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" ->
          Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** A required sequence of scalars (Falco's decode_seq). */
  List<ScalarNode> scalarSequence(MappingNode item, String key, List<Location> ctx)
      throws LoadError {
    Node val = get(item, key);
    if (val == null) {
      throw validate("Item has no mapping for key '" + key + "'", ctx);
    }
    List<Location> valCtx = with(ctx, location("value for", key, val));
    if (!(val instanceof SequenceNode seq)) {
      throw validate("Value is not a sequence", valCtx);
    }
    List<ScalarNode> out = new ArrayList<>();
    for (Node v : seq.getValue()) {
      if (!(v instanceof ScalarNode s) || isNull(v)) {
        throw validate("sequence value is not scalar", with(valCtx, location("list item", "", v)));
      }
      out.add(s);
    }
    return out;
  }

  static LoadError validate(String message, List<Location> ctx) {
    return new LoadError(Code.LOAD_ERR_YAML_VALIDATE, message, ctx);
  }

  static List<Location> with(List<Location> ctx, Location loc) {
    List<Location> out = new ArrayList<>(ctx);
    out.add(loc);
    return List.copyOf(out);
  }
}
