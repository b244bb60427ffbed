package dev.vigil.rules.load;

import dev.vigil.rules.Location;
import dev.vigil.rules.Priority;
import dev.vigil.rules.text.Origin;
import dev.vigil.rules.text.Text;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The definitions a {@link Collector} holds after reading rules files: lists, macros and rules as
 * they stand after every define, append and override so far.
 *
 * <p>{@code index} is the evaluation slot (the counter value at first definition, kept by
 * redefinitions); {@code visibility} is the counter value of the latest definition or change, which
 * decides which lists and macros a definition may refer to.
 */
public final class Defs {
  private Defs() {}

  /** One item of a list, with where it was written. */
  public record ListItem(String value, Origin origin) {}

  public record ListDef(
      String name, List<ListItem> items, int index, int visibility, List<Location> trail) {
    public ListDef {
      items = List.copyOf(items);
      trail = List.copyOf(trail);
    }
  }

  public record MacroDef(
      String name,
      Text condition,
      int index,
      int visibility,
      List<Location> trail,
      List<Location> conditionTrail) {
    public MacroDef {
      trail = List.copyOf(trail);
      conditionTrail = List.copyOf(conditionTrail);
    }
  }

  /** An exception's fields, comps or a value: a scalar, a sequence, or absent. */
  public sealed interface Entry {
    /** Not given in the YAML. */
    record Absent() implements Entry {}

    record Scalar(String value, Text text) implements Entry {}

    record Seq(List<Entry> items) implements Entry {
      public Seq {
        items = List.copyOf(items);
      }
    }
  }

  public record ExceptionDef(
      String name, Entry fields, Entry comps, List<Entry> values, List<Location> trail) {
    public ExceptionDef {
      values = List.copyOf(values);
      trail = List.copyOf(trail);
    }

    ExceptionDef withComps(Entry c) {
      return new ExceptionDef(name, fields, c, values, trail);
    }

    ExceptionDef withMoreValues(List<Entry> more) {
      List<Entry> all = new java.util.ArrayList<>(values);
      all.addAll(more);
      return new ExceptionDef(name, fields, comps, all, trail);
    }
  }

  /** A rule with every property Falco keeps. */
  public record RuleDef(
      String name,
      Text condition,
      Text output,
      String desc,
      Priority priority,
      String source,
      boolean enabled,
      SortedSet<String> tags,
      List<ExceptionDef> exceptions,
      boolean warnEvttypes,
      boolean skipIfUnknownFilter,
      boolean capture,
      long captureDuration,
      int index,
      int visibility,
      boolean unknownSource,
      List<Location> trail,
      List<Location> conditionTrail,
      List<Location> outputTrail) {
    public RuleDef {
      tags = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tags));
      exceptions = List.copyOf(exceptions);
      trail = List.copyOf(trail);
      conditionTrail = List.copyOf(conditionTrail);
      outputTrail = List.copyOf(outputTrail);
    }
  }
}
