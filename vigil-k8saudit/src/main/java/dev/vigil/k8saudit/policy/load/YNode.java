package dev.vigil.k8saudit.policy.load;

import java.util.List;

/** A YAML node typed as the JSON it converts to, with its position. */
public sealed interface YNode {
  SourcePos pos();

  /** What a scalar becomes in JSON. */
  enum Kind {
    STRING,
    NUMBER,
    BOOL,
    NULL
  }

  /** The JSON type name Go's decoder uses in its errors. */
  default String jsonType() {
    return switch (this) {
      case YScalar s ->
          switch (s.kind()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOL -> "bool";
            case NULL -> "null";
          };
      case YSeq q -> "array";
      case YMap m -> "object";
    };
  }

  /** A scalar: its text and JSON kind. */
  record YScalar(String text, Kind kind, SourcePos pos) implements YNode {}

  /** A sequence. */
  record YSeq(List<YNode> items, SourcePos pos) implements YNode {
    public YSeq {
      items = List.copyOf(items);
    }
  }

  /** A mapping, in document order, duplicates kept. */
  record YMap(List<Entry> entries, SourcePos pos) implements YNode {
    public YMap {
      entries = List.copyOf(entries);
    }
  }

  /** One key and value of a mapping. */
  record Entry(YScalar key, YNode value) {}
}
