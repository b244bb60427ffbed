package dev.vigil.rules.compile;

import dev.vigil.rules.load.Defs.Entry;
import dev.vigil.rules.load.Defs.ExceptionDef;
import dev.vigil.rules.text.Origin;
import dev.vigil.rules.text.Text;
import java.util.List;

/**
 * The textual steps of Falco's compiler, reproduced exactly because their quirks show in compiled
 * conditions: list names substituted into condition text before parsing, and exceptions turned into
 * {@code and not (...)} clauses.
 */
final class TextExpansion {
  private static final String BLANKS = " \t\n\r";
  private static final String DELIMS = BLANKS + "(),=";

  private TextExpansion() {}

  /** A compiled list: its items (one level of nested lists expanded) and where it is defined. */
  record ListText(String name, List<String> items, Origin origin) {}

  /**
   * Replaces every delimited occurrence of the list's name in the condition with its items (quoted
   * if they contain a space), as Falco's {@code resolve_list} does. Returns the same text when the
   * list does not occur.
   */
  static Text substitute(Text cond, ListText list) {
    String name = list.name();
    String s = cond.value();
    if (name.isEmpty() || s.indexOf(name) < 0) {
      return cond;
    }
    String sub = String.join(", ", list.items().stream().map(TextExpansion::quote).toList());
    int start = s.indexOf(name);
    while (start >= 0) {
      int end = start + name.length();
      if ((start == 0 || DELIMS.indexOf(s.charAt(start - 1)) >= 0)
          && (end >= s.length() || DELIMS.indexOf(s.charAt(end)) >= 0)) {
        while (start > 0 && BLANKS.indexOf(s.charAt(start - 1)) >= 0) {
          start--;
        }
        while (end < s.length() && BLANKS.indexOf(s.charAt(end)) >= 0) {
          end++;
        }
        if (sub.isEmpty()) {
          if (start > 0 && s.charAt(start - 1) == ',') {
            start--;
          } else if (end < s.length() && s.charAt(end) == ',') {
            end++;
          }
        }
        Text.Builder b = Text.builder();
        if (start > 0) {
          b.append(cond, 0, start).generated(" ");
        }
        b.substituted(sub, list.origin()).generated(" ");
        b.append(cond, Math.min(end, s.length()), s.length());
        cond = b.build();
        s = cond.value();
        start += sub.length() + 1;
      }
      start = start + 1 > s.length() ? -1 : s.indexOf(name, start + 1);
    }
    return cond;
  }

  /** True when {@link #substitute} would change the condition. */
  static boolean occurs(String cond, String name) {
    int start = cond.indexOf(name);
    while (start >= 0) {
      int end = start + name.length();
      if ((start == 0 || DELIMS.indexOf(cond.charAt(start - 1)) >= 0)
          && (end >= cond.length() || DELIMS.indexOf(cond.charAt(end)) >= 0)) {
        return true;
      }
      start = cond.indexOf(name, start + 1);
    }
    return false;
  }

  /** Falco's {@code quote_item}: wrap in double quotes if it has a space and is not quoted. */
  static String quote(String item) {
    if (item.indexOf(' ') >= 0 && !item.startsWith("\"") && !item.startsWith("'")) {
      return "\"" + item + "\"";
    }
    return item;
  }

  /** Thrown when an exception's values do not fit its fields. */
  static final class ShapeError extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    ShapeError(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  /**
   * Appends the exceptions to a condition: {@code (cond) and not (...)} for each exception with
   * values, as Falco builds them.
   */
  static Text withExceptions(Text cond, List<ExceptionDef> exceptions, ExceptionDef[] failed)
      throws ShapeError {
    Text.Builder b = Text.builder().generated("(").append(cond).generated(")");
    for (ExceptionDef ex : exceptions) {
      failed[0] = ex;
      Text clause =
          switch (ex.fields()) {
            case Entry.Scalar field -> scalarForm(field, ex);
            case Entry.Seq fields -> listForm(fields, ex);
            case Entry.Absent a -> Text.plain("");
          };
      if (!clause.value().isEmpty()) {
        b.substituted(" and not ", exceptionOrigin(ex)).append(clause);
      }
    }
    return b.build();
  }

  /** Text Vigil adds for an exception is attributed to the exception's definition. */
  static Origin exceptionOrigin(ExceptionDef ex) {
    dev.vigil.rules.Location at = ex.trail().getLast();
    return new Origin(
        Origin.Role.EXCEPTION,
        ex.name(),
        dev.vigil.rules.text.ScalarMap.at(at.file(), Math.max(0, at.offset()), ""),
        0);
  }

  private static Text scalarForm(Entry.Scalar field, ExceptionDef ex) throws ShapeError {
    if (ex.values().isEmpty()) {
      return Text.plain("");
    }
    Text.Builder b = Text.builder();
    boolean first = true;
    for (Entry v : ex.values()) {
      if (!(v instanceof Entry.Scalar value)) {
        throw new ShapeError("Expected values array to contain a list of strings");
      }
      if (first) {
        b.generated("(").append(field.text()).generated(" ");
        appendScalar(b, ex.comps());
        b.generated(" (");
        first = false;
      } else {
        b.generated(", ");
      }
      appendQuoted(b, value);
    }
    return b.generated("))").build();
  }

  private static Text listForm(Entry.Seq fields, ExceptionDef ex) throws ShapeError {
    List<Entry> comps = ex.comps() instanceof Entry.Seq s ? s.items() : List.of();
    Text.Builder b = Text.builder().generated("(");
    boolean firstTuple = true;
    for (Entry tuple : ex.values()) {
      List<Entry> items = tuple instanceof Entry.Seq s ? s.items() : List.of();
      if (items.size() != fields.items().size()) {
        throw new ShapeError("Fields and values lists must have equal length");
      }
      b.generated(firstTuple ? "(" : " or (");
      firstTuple = false;
      for (int k = 0; k < fields.items().size(); k++) {
        if (k > 0) {
          b.generated(" and ");
        }
        b.generated(" ");
        appendScalar(b, fields.items().get(k));
        b.generated(" ");
        Entry comp = k < comps.size() ? comps.get(k) : new Entry.Absent();
        appendScalar(b, comp);
        b.generated(" ");
        Entry value = items.get(k);
        if (value instanceof Entry.Seq list) {
          b.generated("(");
          boolean first = true;
          for (Entry v : list.items()) {
            if (!first) {
              b.generated(", ");
            }
            first = false;
            if (v instanceof Entry.Scalar sv) {
              appendQuoted(b, sv);
            }
          }
          b.generated(")");
        } else if (value instanceof Entry.Scalar sv) {
          String op = comp instanceof Entry.Scalar c ? c.value() : "";
          if (isListComparison(op)) {
            if (sv.value().startsWith("(")) {
              b.append(sv.text());
            } else {
              b.generated("(").append(sv.text()).generated(")");
            }
          } else {
            appendQuoted(b, sv);
          }
        }
      }
      b.generated(")");
    }
    b.generated(")");
    Text t = b.build();
    return t.value().equals("()") ? Text.plain("") : t;
  }

  private static boolean isListComparison(String op) {
    String o = op.strip();
    return o.equals("in")
        || o.equals("intersects")
        || o.equals("pmatch")
        || dev.vigil.rules.parse.Parser.modifiers().stream().anyMatch(m -> o.endsWith(" " + m));
  }

  private static void appendScalar(Text.Builder b, Entry e) {
    if (e instanceof Entry.Scalar s) {
      b.append(s.text());
    }
  }

  private static void appendQuoted(Text.Builder b, Entry.Scalar v) {
    String s = v.value();
    if (s.indexOf(' ') >= 0 && !s.startsWith("\"") && !s.startsWith("'")) {
      b.generated("\"").append(v.text()).generated("\"");
    } else {
      b.append(v.text());
    }
  }
}
