package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.ByteOutput;
import dev.vigil.k8saudit.event.JsonText;
import dev.vigil.k8saudit.query.Column;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the events a query matched: JSON lines, an aligned table, or CSV. The table is printed by
 * one thread ({@link Table}); the other formats are {@link Rows}, written as bytes by one instance
 * per reading thread.
 *
 * <p>A column's value (a string, a number, a list or absent) is told apart with plain type tests: a
 * pattern {@code switch} over {@code Object} is linked through method handles the first time it
 * runs, which a short query pays at start-up.
 */
abstract sealed class QueryOutput {
  /** Rows a table holds to size its columns before it starts printing. */
  static final int TABLE_ROWS = 10_000;

  abstract void event(AuditEvent e);

  void finish() {}

  /** A format written as bytes, one row per event; one instance per thread. */
  abstract static sealed class Rows {
    /** What comes before the first row. */
    byte[] header() {
      return new byte[0];
    }

    abstract void row(AuditEvent e, ByteOutput out);

    /** The rows of format {@code f} (not the table) with {@code columns}. */
    static Rows of(AuditQueryCommand.Format f, List<Column> columns) {
      return switch (f) {
        case jsonl -> columns.isEmpty() ? new Events() : new Objects(columns);
        case csv -> new Csv(columns);
        case table -> throw new IllegalArgumentException("the table is not written in rows");
      };
    }
  }

  /** The events as read, one per line (compacted when they were pretty-printed). */
  static final class Events extends Rows {
    @Override
    void row(AuditEvent e, ByteOutput out) {
      byte[] b = e.bytes();
      int s = e.start();
      int end = e.end();
      while (s < end && (b[s] == ' ' || b[s] == '\t' || b[s] == '\r')) {
        s++;
      }
      while (end > s && (b[end - 1] == ' ' || b[end - 1] == '\t' || b[end - 1] == '\r')) {
        end--;
      }
      if (ByteOutput.hasLineBreak(b, s, end)) {
        out.utf8(compact(new String(b, s, end - s, StandardCharsets.UTF_8)));
      } else {
        out.write(b, s, end - s);
      }
      out.write('\n');
    }

    private static String compact(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      boolean in = false;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (in) {
          sb.append(c);
          if (c == '\\' && i + 1 < s.length()) {
            sb.append(s.charAt(++i));
          } else if (c == '"') {
            in = false;
          }
        } else if (c == '"') {
          in = true;
          sb.append(c);
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }

  /** One JSON object per event with the chosen fields (null for no value, arrays for lists). */
  static final class Objects extends Rows {
    private static final String NEWLINE = System.lineSeparator();
    private final List<Column> columns;
    private final StringBuilder sb = new StringBuilder();

    Objects(List<Column> columns) {
      this.columns = columns;
    }

    @Override
    void row(AuditEvent e, ByteOutput out) {
      sb.setLength(0);
      sb.append('{');
      for (int i = 0; i < columns.size(); i++) {
        Column c = columns.get(i);
        if (i > 0) {
          sb.append(',');
        }
        JsonText.quote(sb, c.name()).append(':');
        Object v = c.value(e);
        if (v instanceof List<?> l) {
          sb.append('[');
          for (int k = 0; k < l.size(); k++) {
            JsonText.quote(sb.append(k > 0 ? "," : ""), String.valueOf(l.get(k)));
          }
          sb.append(']');
        } else if (v != null) {
          JsonText.quote(sb, v.toString());
        } else {
          sb.append("null");
        }
      }
      out.utf8(sb.append('}').append(NEWLINE).toString());
    }
  }

  static String text(Column c, AuditEvent e) {
    Object v = c.value(e);
    return v instanceof List<?> l ? joined(l) : v == null ? "<NA>" : v.toString();
  }

  /** A list value as one text: its elements separated by commas. */
  private static String joined(List<?> l) {
    List<String> s = new ArrayList<>(l.size());
    l.forEach(x -> s.add(String.valueOf(x)));
    return String.join(",", s);
  }

  /** Columns aligned on the widest value of the first {@link #TABLE_ROWS} rows. */
  static final class Table extends QueryOutput {
    private final PrintWriter out;
    private final List<Column> columns;
    private final List<String[]> held = new ArrayList<>();
    private int[] widths;

    Table(PrintWriter out, List<Column> columns) {
      this.out = out;
      this.columns = columns;
      this.widths = new int[columns.size()];
      String[] header = new String[columns.size()];
      for (int i = 0; i < header.length; i++) {
        header[i] = columns.get(i).name().toUpperCase(java.util.Locale.ROOT);
      }
      held.add(header);
    }

    @Override
    void event(AuditEvent e) {
      String[] row = new String[columns.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = text(columns.get(i), e).replace('\n', ' ').replace('\t', ' ');
      }
      if (held != null && held.size() <= TABLE_ROWS) {
        held.add(row);
        if (held.size() > TABLE_ROWS) {
          flushHeld();
        }
      } else {
        print(row);
      }
    }

    private void flushHeld() {
      for (String[] r : held) {
        for (int i = 0; i < r.length; i++) {
          widths[i] = Math.max(widths[i], Math.min(r[i].length(), 80));
        }
      }
      for (String[] r : held) {
        print(r);
      }
      held.clear();
      held.add(new String[0]);
    }

    private void print(String[] row) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        sb.append(row[i]);
        if (i < row.length - 1) {
          sb.append(" ".repeat(Math.max(1, widths[i] - row[i].length() + 2)));
        }
      }
      out.println(sb.toString().stripTrailing());
    }

    @Override
    void finish() {
      if (!held.isEmpty() && held.getFirst().length > 0) {
        flushHeld();
      }
    }
  }

  /** RFC 4180 CSV with a header row. */
  static final class Csv extends Rows {
    private final List<Column> columns;

    Csv(List<Column> columns) {
      this.columns = columns;
    }

    @Override
    byte[] header() {
      List<String> h = new ArrayList<>();
      columns.forEach(c -> h.add(quote(c.name())));
      return (String.join(",", h) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void row(AuditEvent e, ByteOutput out) {
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        Object v = columns.get(i).value(e);
        if (v != null) {
          out.utf8(quote(v instanceof List<?> l ? joined(l) : v.toString()));
        }
      }
      out.write('\r');
      out.write('\n');
    }

    private static String quote(String s) {
      if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
        return s;
      }
      return '"' + s.replace("\"", "\"\"") + '"';
    }
  }
}
