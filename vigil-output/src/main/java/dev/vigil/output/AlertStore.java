package dev.vigil.output;

import dev.vigil.rules.Priority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded alert store: a SQLite database in WAL mode, so {@code vigil alerts query} reads
 * while the daemon writes. One row per alert: its time (ns), rule, priority (0 = Emergency ... 7 =
 * Debug), source, host, tags, Falco's text line and Falco's JSON.
 */
public final class AlertStore implements AutoCloseable {
  private static final String SCHEMA =
      """
      CREATE TABLE IF NOT EXISTS alerts (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        rule TEXT NOT NULL,
        priority INTEGER NOT NULL,
        source TEXT NOT NULL,
        hostname TEXT NOT NULL,
        tags TEXT NOT NULL,
        output TEXT NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS alerts_time ON alerts(time);
      CREATE INDEX IF NOT EXISTS alerts_rule_time ON alerts(rule, time);
      """;

  private final Connection db;

  private AlertStore(Connection db) {
    this.db = db;
  }

  /** Opens (creating if needed) the store for writing. */
  public static AlertStore open(Path path) throws SQLException {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create " + path.getParent() + ": " + e.getMessage(), e);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA busy_timeout=5000");
      for (String stmt : java.util.regex.Pattern.compile(";").splitAsStream(SCHEMA).toList()) {
        if (!stmt.isBlank()) {
          s.execute(stmt);
        }
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    c.setAutoCommit(false);
    return new AlertStore(c);
  }

  /** Opens an existing store for reading. */
  public static AlertStore openReadOnly(Path path) throws SQLException {
    if (!Files.isRegularFile(path)) {
      throw new SQLException("no alert store at " + path);
    }
    org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
    cfg.setReadOnly(true);
    cfg.setBusyTimeout(5000);
    return new AlertStore(DriverManager.getConnection("jdbc:sqlite:" + path, cfg.toProperties()));
  }

  /** Inserts a batch in one transaction. */
  void insert(List<Outgoing> batch) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement(
            "INSERT INTO alerts(time, rule, priority, source, hostname, tags, output, json)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Outgoing o : batch) {
        ps.setLong(1, o.alert().time());
        ps.setString(2, o.alert().rule());
        ps.setInt(3, SyslogSink.severity(o.alert().priority()));
        ps.setString(4, o.alert().source());
        ps.setString(5, o.hostname());
        ps.setString(6, String.join(",", o.alert().tags()));
        ps.setString(7, o.text());
        ps.setString(8, o.json());
        ps.addBatch();
      }
      ps.executeBatch();
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    }
  }

  /** Deletes alerts older than {@code beforeNanos}; returns how many. */
  int deleteBefore(long beforeNanos) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM alerts WHERE time < ?")) {
      ps.setLong(1, beforeNanos);
      int n = ps.executeUpdate();
      db.commit();
      return n;
    }
  }

  /**
   * A query: every part optional.
   *
   * @param rule a rule name, {@code *} matching any run of characters
   * @param minPriority only alerts at least this severe
   * @param sinceNanos only alerts at or after this time (0: any)
   * @param untilNanos only alerts before this time ({@code Long.MAX_VALUE}: any)
   * @param limit the newest this many, returned oldest first
   */
  public record Query(
      Optional<String> rule,
      Optional<Priority> minPriority,
      Optional<String> source,
      Optional<String> hostname,
      long sinceNanos,
      long untilNanos,
      int limit) {}

  /** A stored alert. */
  public record Row(
      long time,
      String rule,
      String priority,
      String source,
      String hostname,
      String text,
      String json) {}

  public List<Row> query(Query q) throws SQLException {
    List<Object> args = new ArrayList<>();
    String where = where(q, args);
    String sql =
        "SELECT time, rule, priority, source, hostname, output, json FROM (SELECT * FROM alerts"
            + where
            + " ORDER BY time DESC, id DESC LIMIT ?) ORDER BY time, id";
    args.add(q.limit());
    List<Row> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Row(
                rs.getLong(1),
                rs.getString(2),
                priorityName(rs.getInt(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7)));
      }
    }
    return out;
  }

  /**
   * Counts matching alerts grouped by {@code rule}, {@code priority}, {@code source} or {@code
   * hostname}.
   */
  public Map<String, Long> countBy(String column, Query q) throws SQLException {
    if (!List.of("rule", "priority", "source", "hostname").contains(column)) {
      throw new IllegalArgumentException(column);
    }
    List<Object> args = new ArrayList<>();
    String sql = "SELECT " + column + ", count(*) FROM alerts" + where(q, args) + " GROUP BY 1";
    Map<String, Long> out = new TreeMap<>();
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String key = column.equals("priority") ? priorityName(rs.getInt(1)) : rs.getString(1);
        out.put(key, rs.getLong(2));
      }
    }
    return out;
  }

  private static String priorityName(int severity) {
    for (Priority p : Priority.values()) {
      if (SyslogSink.severity(p) == severity) {
        return p.title();
      }
    }
    return Integer.toString(severity);
  }

  private static String where(Query q, List<Object> args) {
    List<String> conds = new ArrayList<>();
    q.rule()
        .ifPresent(r -> {
          conds.add("rule GLOB ?");
          args.add(r.replace("[", "[[]").replace("?", "[?]"));
        });
    q.minPriority()
        .ifPresent(p -> {
          conds.add("priority <= ?");
          args.add(SyslogSink.severity(p));
        });
    q.source()
        .ifPresent(s -> {
          conds.add("source = ?");
          args.add(s);
        });
    q.hostname()
        .ifPresent(h -> {
          conds.add("hostname = ?");
          args.add(h);
        });
    if (q.sinceNanos() > 0) {
      conds.add("time >= ?");
      args.add(q.sinceNanos());
    }
    if (q.untilNanos() < Long.MAX_VALUE) {
      conds.add("time < ?");
      args.add(q.untilNanos());
    }
    return conds.isEmpty() ? "" : " WHERE " + String.join(" AND ", conds);
  }

  private PreparedStatement prepare(String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = db.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
    return ps;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
