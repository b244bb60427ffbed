package dev.vigil.rules.compile;

import java.util.Locale;
import java.util.Optional;

/** The comparison operators of the rule language. */
public enum Operator {
  EQ("="),
  EQ_EQ("=="),
  NE("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  CONTAINS("contains"),
  ICONTAINS("icontains"),
  BCONTAINS("bcontains"),
  STARTSWITH("startswith"),
  BSTARTSWITH("bstartswith"),
  ENDSWITH("endswith"),
  GLOB("glob"),
  IGLOB("iglob"),
  REGEX("regex"),
  IN("in"),
  INTERSECTS("intersects"),
  PMATCH("pmatch"),
  EXISTS("exists");

  private final String text;

  Operator(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static Optional<Operator> parse(String s) {
    for (Operator o : values()) {
      if (o.text.equals(s)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /** {@code =} and {@code ==} are the same operator. */
  public Operator canonical() {
    return this == EQ_EQ ? EQ : this;
  }

  public boolean isListOperator() {
    return this == IN || this == INTERSECTS || this == PMATCH;
  }

  public boolean isOrdering() {
    return this == LT || this == LE || this == GT || this == GE;
  }

  /** The list modifiers that may follow a string operator. */
  public enum Modifier {
    NONE,
    ONEOF,
    ANYOF,
    ALLOF;

    public static Optional<Modifier> parse(String s) {
      try {
        return Optional.of(valueOf(s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }
}
