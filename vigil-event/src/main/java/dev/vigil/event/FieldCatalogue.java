package dev.vigil.event;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields one event source offers, read from a catalogue file bundled with the source.
 *
 * <p>Catalogue files are tab-separated text: {@code @class<TAB>id<TAB>title<TAB>description} opens
 * a class, every other non-comment line is {@code name<TAB>TYPE<TAB>attributes<TAB>description},
 * where attributes is {@code -} or a comma-separated list of {@link FieldDef.Attribute} spellings.
 */
public final class FieldCatalogue {
  private final String source;
  private final List<FieldClass> classes;
  private final Map<String, FieldDef> byName;

  private FieldCatalogue(String source, List<FieldClass> classes) {
    this.source = source;
    this.classes = List.copyOf(classes);
    Map<String, FieldDef> map = new LinkedHashMap<>();
    for (FieldClass c : classes) {
      for (FieldDef f : c.fields()) {
        if (map.putIfAbsent(f.name(), f) != null) {
          throw new IllegalArgumentException(source + ": duplicate field " + f.name());
        }
      }
    }
    this.byName = map;
  }

  /** Builds a catalogue from classes (used by tests and by sources defined in code). */
  public static FieldCatalogue of(String source, List<FieldClass> classes) {
    return new FieldCatalogue(source, classes);
  }

  /**
   * Parses a catalogue file. A malformed bundled catalogue is a bug, so this throws {@link
   * IllegalArgumentException} naming the line.
   */
  public static FieldCatalogue parse(String source, String text) {
    List<FieldClass> classes = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    String classId = "";
    String title = "";
    String desc = "";
    List<FieldDef> fields = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      if (cols.length != 4) {
        throw new IllegalArgumentException(
            source + " catalogue line " + (i + 1) + ": expected 4 tab-separated columns");
      }
      if (cols[0].equals("@class")) {
        if (!classId.isEmpty()) {
          classes.add(new FieldClass(classId, title, desc, fields));
        }
        classId = cols[1];
        title = cols[2];
        desc = cols[3];
        fields = new ArrayList<>();
        continue;
      }
      if (classId.isEmpty()) {
        throw new IllegalArgumentException(
            source + " catalogue line " + (i + 1) + ": field before any @class");
      }
      FieldType type;
      try {
        type = FieldType.valueOf(cols[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source + " catalogue line " + (i + 1) + ": unknown type " + cols[1], e);
      }
      fields.add(new FieldDef(cols[0], type, attributes(cols[2], source, i + 1), cols[3]));
    }
    if (!classId.isEmpty()) {
      classes.add(new FieldClass(classId, title, desc, fields));
    }
    return new FieldCatalogue(source, classes);
  }

  private static Set<FieldDef.Attribute> attributes(String col, String source, int line) {
    Set<FieldDef.Attribute> set = EnumSet.noneOf(FieldDef.Attribute.class);
    if (col.equals("-")) {
      return set;
    }
    for (String a : col.split(",", -1)) {
      try {
        set.add(FieldDef.Attribute.valueOf(a.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source + " catalogue line " + line + ": unknown attribute " + a, e);
      }
    }
    return set;
  }

  /** The source these fields belong to ({@code syscall}, {@code k8s_audit}). */
  public String source() {
    return source;
  }

  public List<FieldClass> classes() {
    return classes;
  }

  /** Every field, in catalogue order. */
  public List<FieldDef> fields() {
    return List.copyOf(byName.values());
  }

  /** The field with exactly this name. */
  public Optional<FieldDef> field(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Resolves a field as a condition or output writes it: a name, possibly with a dotted argument
   * ({@code evt.arg.fd}), and a bracket argument ({@code ""} when absent).
   */
  public FieldResolution resolve(String name, String bracketArg) {
    FieldDef exact = byName.get(name);
    if (exact != null) {
      return withArgument(exact, bracketArg, name);
    }
    FieldDef best = null;
    for (FieldDef f : byName.values()) {
      if (f.is(FieldDef.Attribute.DOT)
          && name.length() > f.name().length() + 1
          && name.startsWith(f.name())
          && name.charAt(f.name().length()) == '.'
          && (best == null || f.name().length() > best.name().length())) {
        best = f;
      }
    }
    if (best == null) {
      return new FieldResolution.Unknown(name);
    }
    if (!bracketArg.isEmpty()) {
      return new FieldResolution.BadArgument(
          best, "field '" + name + "' cannot take a second argument '" + bracketArg + "'");
    }
    return withArgument(best, name.substring(best.name().length() + 1), name);
  }

  private static FieldResolution withArgument(FieldDef def, String arg, String written) {
    if (arg.isEmpty()) {
      if (def.requiresArgument()) {
        return new FieldResolution.BadArgument(
            def, "field '" + written + "' requires an argument but none was provided");
      }
      return new FieldResolution.Resolved(def, "");
    }
    if (!def.takesArgument()) {
      return new FieldResolution.BadArgument(
          def, "field '" + written + "' does not take an argument, got '" + arg + "'");
    }
    if (def.is(FieldDef.Attribute.INDEX)
        && !def.is(FieldDef.Attribute.KEY)
        && !arg.chars().allMatch(Character::isDigit)) {
      return new FieldResolution.BadArgument(
          def, "field '" + written + "' requires a numeric index argument, got '" + arg + "'");
    }
    return new FieldResolution.Resolved(def, arg);
  }
}
