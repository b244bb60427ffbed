package dev.vigil.rules.compile;

import dev.vigil.event.FieldType;
import java.util.EnumSet;
import java.util.Set;

/** Which operators each field type supports (libsinsp's compatibility table). */
final class OperatorTypes {
  private OperatorTypes() {}

  private static final Set<Operator> NUMERIC =
      EnumSet.of(
          Operator.EXISTS,
          Operator.EQ,
          Operator.EQ_EQ,
          Operator.NE,
          Operator.LT,
          Operator.LE,
          Operator.GT,
          Operator.GE,
          Operator.IN,
          Operator.INTERSECTS);

  private static final Set<Operator> EQUALITY =
      EnumSet.of(
          Operator.EXISTS,
          Operator.EQ,
          Operator.EQ_EQ,
          Operator.NE,
          Operator.IN,
          Operator.INTERSECTS);

  private static final Set<Operator> BYTES =
      EnumSet.of(
          Operator.EXISTS,
          Operator.EQ,
          Operator.EQ_EQ,
          Operator.NE,
          Operator.CONTAINS,
          Operator.IN,
          Operator.INTERSECTS,
          Operator.STARTSWITH,
          Operator.ENDSWITH,
          Operator.BCONTAINS,
          Operator.BSTARTSWITH);

  private static final Set<Operator> STRING =
      EnumSet.complementOf(EnumSet.of(Operator.BCONTAINS, Operator.BSTARTSWITH));

  static boolean supports(FieldType type, Operator op) {
    return switch (type.kind()) {
      case SIGNED, UNSIGNED, DOUBLE -> NUMERIC.contains(op);
      case BOOL, IPADDR, IPNET, NET -> EQUALITY.contains(op);
      case BYTES -> BYTES.contains(op);
      case STRING -> STRING.contains(op);
    };
  }

  /** The string operators a list modifier may follow. */
  static boolean supportsModifier(Operator op) {
    return switch (op) {
      case EQ,
          EQ_EQ,
          NE,
          CONTAINS,
          ICONTAINS,
          BCONTAINS,
          STARTSWITH,
          BSTARTSWITH,
          ENDSWITH,
          GLOB,
          IGLOB,
          REGEX ->
          true;
      case LT, LE, GT, GE, IN, INTERSECTS, PMATCH, EXISTS -> false;
    };
  }
}
