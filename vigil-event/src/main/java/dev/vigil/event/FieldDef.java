package dev.vigil.event;

import java.util.Objects;
import java.util.Set;

/**
 * One field of a source's catalogue.
 *
 * @param name the field's full name, such as {@code proc.name}
 * @param type the value type
 * @param attributes list-ness, argument rules and status
 * @param description what the field returns, in Vigil's own words
 */
public record FieldDef(String name, FieldType type, Set<Attribute> attributes, String description) {

  /** Flags from the catalogue's attribute column. */
  public enum Attribute {
    /**
     * The field yields a list of values ({@code in}, {@code intersects} and {@code exists} only).
     */
    LIST,
    /** The field takes an optional argument ({@code proc.aname[2]}). */
    ARG,
    /** The field requires an argument ({@code evt.arg[fd]}). */
    ARG_REQUIRED,
    /** The argument is a numeric index. */
    INDEX,
    /** The argument is a key or name. */
    KEY,
    /** The argument may also be written as a dotted suffix ({@code evt.arg.fd}). */
    DOT,
    /** Falco deprecates the field; using it draws a warning. */
    DEPRECATED,
    /** Only meaningful in conditions, not in outputs. */
    FILTER_ONLY,
    /**
     * Without an argument the field yields several candidate values ({@code proc.aname}: every
     * ancestor; {@code fd.ip}: either end); a comparison holds when one value satisfies it.
     */
    ANY;

    /** The spelling used in catalogue files. */
    public String spelling() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  public FieldDef {
    Objects.requireNonNull(name);
    Objects.requireNonNull(type);
    attributes = Set.copyOf(attributes);
    Objects.requireNonNull(description);
  }

  public boolean isList() {
    return attributes.contains(Attribute.LIST);
  }

  /** True when the field accepts an argument at all. */
  public boolean takesArgument() {
    return attributes.contains(Attribute.ARG) || attributes.contains(Attribute.ARG_REQUIRED);
  }

  public boolean requiresArgument() {
    return attributes.contains(Attribute.ARG_REQUIRED);
  }

  public boolean is(Attribute attribute) {
    return attributes.contains(attribute);
  }
}
