package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.JsonText;
import dev.vigil.k8saudit.query.Column;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes the events a query matched: JSON lines, an aligned table, or CSV. */
abstract sealed class QueryOutput {
  /** Rows a table holds to size its columns before it starts printing. */
  static final int TABLE_ROWS = 10_000;

  abstract void event(AuditEvent e);

  void finish() {}

  static QueryOutput of(
      AuditQueryCommand.Format f,
      List<Column> columns,
      PrintWriter out,
      java.util.Optional<java.io.OutputStream> raw) {
    return switch (f) {
      case jsonl ->
          columns.isEmpty()
              ? new Events(
                  raw.isPresent()
                      ? new java.io.BufferedOutputStream(raw.get(), 1 << 16)
                      : new WriterOutputStream(out))
              : new Objects(out, columns);
      case table -> new Table(out, columns);
      case csv -> new Csv(out, columns);
    };
  }

  /**
   * The events as read, one per line (compacted when they were pretty-printed), written as bytes
   * (to the process's stdout when there is one, else through the writer).
   */
  static final class Events extends QueryOutput {
    private final java.io.OutputStream out;

    Events(java.io.OutputStream out) {
      this.out = out;
    }

    @Override
    void event(AuditEvent e) {
      byte[] b = e.bytes();
      int s = e.start();
      int end = e.end();
      while (s < end && (b[s] == ' ' || b[s] == '\t' || b[s] == '\r')) {
        s++;
      }
      while (end > s && (b[end - 1] == ' ' || b[end - 1] == '\t' || b[end - 1] == '\r')) {
        end--;
      }
      try {
        if (JsonLines.hasNewline(b, s, end)) {
          out.write(
              compact(new String(b, s, end - s, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8));
        } else {
          out.write(b, s, end - s);
        }
        out.write('\n');
      } catch (java.io.IOException x) {
        throw new java.io.UncheckedIOException(x);
      }
    }

    @Override
    void finish() {
      try {
        out.flush();
      } catch (java.io.IOException x) {
        throw new java.io.UncheckedIOException(x);
      }
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

  /** Line-break search. */
  static final class JsonLines {
    private JsonLines() {}

    static boolean hasNewline(byte[] b, int s, int e) {
      for (int i = s; i < e; i++) {
        if (b[i] == '\n') {
          return true;
        }
      }
      return false;
    }
  }

  /** One JSON object per event with the chosen fields (null for no value, arrays for lists). */
  static final class Objects extends QueryOutput {
    private final PrintWriter out;
    private final List<Column> columns;

    Objects(PrintWriter out, List<Column> columns) {
      this.out = out;
      this.columns = columns;
    }

    @Override
    void event(AuditEvent e) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < columns.size(); i++) {
        Column c = columns.get(i);
        if (i > 0) {
          sb.append(',');
        }
        JsonText.quote(sb, c.name()).append(':');
        Object v = c.value(e);
        switch (v) {
          case null -> sb.append("null");
          case List<?> l -> {
            sb.append('[');
            for (int k = 0; k < l.size(); k++) {
              JsonText.quote(sb.append(k > 0 ? "," : ""), String.valueOf(l.get(k)));
            }
            sb.append(']');
          }
          default -> JsonText.quote(sb, v.toString());
        }
      }
      out.println(sb.append('}'));
    }
  }

  static String text(Column c, AuditEvent e) {
    Object v = c.value(e);
    return switch (v) {
      case null -> "<NA>";
      case List<?> l -> {
        List<String> s = new ArrayList<>();
        l.forEach(x -> s.add(String.valueOf(x)));
        yield String.join(",", s);
      }
      default -> v.toString();
    };
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
  static final class Csv extends QueryOutput {
    private final PrintWriter out;
    private final List<Column> columns;

    Csv(PrintWriter out, List<Column> columns) {
      this.out = out;
      this.columns = columns;
      List<String> h = new ArrayList<>();
      columns.forEach(c -> h.add(quote(c.name())));
      out.print(String.join(",", h) + "\r\n");
    }

    @Override
    void event(AuditEvent e) {
      List<String> r = new ArrayList<>(columns.size());
      for (Column c : columns) {
        Object v = c.value(e);
        r.add(v == null ? "" : quote(text(c, e)));
      }
      out.print(String.join(",", r) + "\r\n");
    }

    private static String quote(String s) {
      if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
        return s;
      }
      return '"' + s.replace("\"", "\"\"") + '"';
    }
  }
}
