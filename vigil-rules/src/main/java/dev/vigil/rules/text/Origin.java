package dev.vigil.rules.text;

/**
 * Where a piece of a condition text came from.
 *
 * @param role what the piece is
 * @param name the item it belongs to (rule, macro, list or exception name), or {@code ""}
 * @param map positions of the piece's characters in their file
 * @param base offset of the piece's first character within {@code map}'s value
 */
public record Origin(Role role, String name, ScalarMap map, int base) {

  /** The part a piece of text plays. */
  public enum Role {
    RULE_CONDITION("rule condition"),
    APPENDED_CONDITION("appended condition"),
    MACRO_CONDITION("macro"),
    LIST_ITEMS("list"),
    EXCEPTION("exception"),
    OUTPUT("rule output"),
    GENERATED("generated");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The position of the character at {@code offset} within the piece. */
  public Position position(int offset) {
    return map.position(base + offset);
  }
}
