package dev.vigil.kernel.fields;

import dev.vigil.event.EventTypes;
import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import dev.vigil.kernel.event.SyscallEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code evt.*} and {@code syscall.type}: the event itself and its parameters. */
final class EventFields {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final List<String> OPEN_EVENTS =
      List.of("open", "openat", "openat2", "open_by_handle_at", "creat");

  private EventFields() {}

  static @Nullable Extractor<SyscallEvent> of(
      String name, String arg, EventTypes types, String hostname) {
    return switch (name) {
      case "evt.num" -> X.num(FieldType.UINT64, e -> true, SyscallEvent::num);
      case "evt.type", "syscall.type" ->
          X.text(FieldType.CHARBUF, e -> types.byCode(e.eventType()).name());
      case "evt.source" -> X.text(FieldType.CHARBUF, e -> "syscall");
      case "evt.hostname" -> X.text(FieldType.CHARBUF, e -> hostname);
      case "evt.rawtime" -> X.num(FieldType.ABSTIME, e -> true, SyscallEvent::timestamp);
      case "evt.rawtime.s" ->
          X.num(FieldType.ABSTIME, e -> true, e -> e.timestamp() / 1_000_000_000L);
      case "evt.rawtime.ns" ->
          X.num(FieldType.ABSTIME, e -> true, e -> e.timestamp() % 1_000_000_000L);
      case "evt.time" -> X.text(FieldType.CHARBUF, e -> clock(e.timestamp()));
      case "evt.time.s" ->
          X.text(
              FieldType.CHARBUF,
              e -> CLOCK.format(Instant.ofEpochSecond(e.timestamp() / 1_000_000_000L)));
      case "evt.time.iso8601", "evt.datetime" -> X.text(FieldType.CHARBUF, e -> iso(e.timestamp()));
      case "evt.dir" -> X.text(FieldType.CHARBUF, e -> "<");
      case "evt.category" -> X.text(FieldType.CHARBUF, e -> types.byCode(e.eventType()).category());
      case "evt.rawres" -> X.num(FieldType.INT64, e -> true, SyscallEvent::ret);
      case "evt.res" -> X.text(FieldType.CHARBUF, e -> Render.result(e.ret()));
      case "evt.failed" -> X.bool(e -> true, e -> e.ret() < 0);
      case "evt.is_open_read" -> openFlag(types, Kind.READ);
      case "evt.is_open_write" -> openFlag(types, Kind.WRITE);
      case "evt.is_open_exec" -> openFlag(types, Kind.EXEC);
      case "evt.is_open_create" -> openFlag(types, Kind.CREATE);
      case "evt.arg" -> arg(types, arg, true);
      case "evt.rawarg" -> arg(types, arg, false);
      case "evt.args" -> args(types);
      case "evt.buffer" -> buffer(types);
      case "evt.abspath" -> PathFields.abspath(types, arg);
      case "evt.latency", "evt.latency.s", "evt.latency.ns", "evt.wait_latency" ->
          X.num(FieldType.RELTIME, e -> false, e -> 0);
      case "evt.latency.human" -> X.text(FieldType.CHARBUF, e -> null);
      default -> null;
    };
  }

  static String clock(long ns) {
    return CLOCK.format(Instant.ofEpochSecond(ns / 1_000_000_000L))
        + "."
        + String.format("%09d", Math.floorMod(ns, 1_000_000_000L));
  }

  static String iso(long ns) {
    return ISO.format(Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L)))
        + "."
        + String.format("%09d", Math.floorMod(ns, 1_000_000_000L))
        + "Z";
  }

  private enum Kind {
    READ,
    WRITE,
    EXEC,
    CREATE
  }

  /**
   * {@code evt.is_open_*}: only open-family events and creat have a value. As in the field
   * reference (and Falco), creat is neither a read nor a write open and is never reported as having
   * created its file: it has no flags, and the driver does not say whether the file existed. It
   * counts as an exec open when its mode has an execute bit.
   */
  private static Extractor<SyscallEvent> openFlag(EventTypes types, Kind kind) {
    int[] flags = Params.indexByType(types, "flags");
    int[] mode = Params.indexByType(types, "mode");
    boolean[] open = new boolean[types.size()];
    for (String n : OPEN_EVENTS) {
      types.byName(n).ifPresent(t -> open[t.code()] = true);
    }
    int creat = types.byName("creat").map(EventTypes.Type::code).orElse(-1);
    return X.bool(
        e -> open[e.eventType()],
        e -> {
          int t = e.eventType();
          if (t == creat) {
            return kind == Kind.EXEC && mode[t] >= 0 && (e.unsigned(mode[t]) & 0111) != 0;
          }
          long f = flags[t] >= 0 ? e.unsigned(flags[t]) : 0;
          return switch (kind) {
            case READ -> Render.openReads(f);
            case WRITE -> Render.openWrites(f);
            case EXEC -> (f & Render.O_F_EXEC) != 0;
            case CREATE -> (f & Render.O_F_CREATED) != 0;
          };
        });
  }

  /** {@code evt.arg.NAME} (rendered) and {@code evt.rawarg.NAME} (raw), or by position. */
  private static Extractor<SyscallEvent> arg(EventTypes types, String name, boolean rendered) {
    boolean positional = !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    int position = positional ? Integer.parseInt(name) : -1;
    int[] index = positional ? new int[0] : Params.indexByType(types, name);
    String[] ptypes = positional ? new String[0] : Params.typeByType(types, name);
    Flags[] flags = flagStyles(types);
    return X.text(
        rendered ? FieldType.CHARBUF : FieldType.DYNAMIC,
        e -> {
          int t = e.eventType();
          int i = positional ? position : index[t];
          if (i < 0 || i >= e.paramCount() || e.paramLength(i) < 0) {
            return null;
          }
          String ptype = positional ? paramType(types, t, i) : ptypes[t];
          String pname = positional ? paramName(types, t, i) : name;
          return rendered ? render(e, i, pname, ptype, flags[t]) : raw(e, i, ptype);
        });
  }

  private static String paramType(EventTypes types, int type, int i) {
    var ps = types.byCode(type).params();
    return i < ps.size() ? ps.get(i).type() : "";
  }

  private static String paramName(EventTypes types, int type, int i) {
    var ps = types.byCode(type).params();
    return i < ps.size() ? ps.get(i).name() : "";
  }

  static @Nullable String raw(SyscallEvent e, int i, String ptype) {
    return switch (ptype) {
      case "INT8", "INT16", "INT32", "INT64", "ERRNO", "FD", "PID" -> Long.toString(e.integer(i));
      case "CHARBUF", "FSPATH", "FSRELPATH" -> e.string(i);
      case "BYTEBUF" -> e.string(i);
      default ->
          e.paramLength(i) == 1
                  || e.paramLength(i) == 2
                  || e.paramLength(i) == 4
                  || e.paramLength(i) == 8
              ? Long.toUnsignedString(e.unsigned(i))
              : e.string(i);
    };
  }

  /** How an event's {@code flags} parameter is shown. */
  private enum Flags {
    /** open-family flags: {@code O_WRONLY|O_TRUNC}. */
    OPEN,
    /** unlinkat's: {@code AT_REMOVEDIR}. */
    UNLINK,
    /** execve's executable flags: {@code EXE_WRITABLE|EXE_LOWER_LAYER}. */
    EXE,
    /** flags of other calls (dup3, renameat2, mmap...): the number. */
    NUMBER
  }

  private static Flags[] flagStyles(EventTypes types) {
    Flags[] out = new Flags[types.size()];
    java.util.Arrays.fill(out, Flags.NUMBER);
    for (String n : List.of("open", "openat", "openat2", "open_by_handle_at")) {
      types.byName(n).ifPresent(t -> out[t.code()] = Flags.OPEN);
    }
    types.byName("unlinkat").ifPresent(t -> out[t.code()] = Flags.UNLINK);
    for (String n : List.of("execve", "execveat")) {
      types.byName(n).ifPresent(t -> out[t.code()] = Flags.EXE);
    }
    return out;
  }

  /** A parameter as Falco's {@code evt.arg} shows it: flags and enums by name. */
  private static @Nullable String render(
      SyscallEvent e, int i, String pname, String ptype, Flags flagStyle) {
    if (ptype.startsWith("FLAGS") || ptype.equals("MODE") || ptype.startsWith("ENUMFLAGS")) {
      long v = e.unsigned(i);
      return switch (pname) {
        case "flags" ->
            switch (flagStyle) {
              case OPEN -> Render.openFlags(v);
              case UNLINK -> Render.unlinkFlags(v);
              case EXE -> Render.exeFlags(v);
              case NUMBER -> Long.toUnsignedString(v);
            };
        case "mode" -> Render.mode(v);
        case "request" -> Render.ptraceRequest(v);
        case "domain" -> Render.family(v);
        default -> Long.toUnsignedString(v);
      };
    }
    if (ptype.equals("ERRNO")) {
      long v = e.integer(i);
      return v < 0 ? Render.result(v) : Long.toString(v);
    }
    if (pname.equals("request") || pname.equals("domain")) {
      long v = e.unsigned(i);
      return pname.equals("request") ? Render.ptraceRequest(v) : Render.family(v);
    }
    return raw(e, i, ptype);
  }

  private static Extractor<SyscallEvent> args(EventTypes types) {
    Flags[] flags = flagStyles(types);
    return X.text(FieldType.CHARBUF, e -> args(types, flags[e.eventType()], e));
  }

  private static String args(EventTypes types, Flags flagStyle, SyscallEvent e) {
    var params = types.byCode(e.eventType()).params();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < params.size() && i < e.paramCount(); i++) {
      String v = render(e, i, params.get(i).name(), params.get(i).type(), flagStyle);
      out.add(params.get(i).name() + "=" + (v == null ? "" : v));
    }
    return String.join(" ", out);
  }

  private static Extractor<SyscallEvent> buffer(EventTypes types) {
    int[] data = Params.indexByType(types, "data");
    return X.bytes(
        FieldType.BYTEBUF,
        e -> data[e.eventType()] < 0 ? null : e.bytes(data[e.eventType()]),
        b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }
}
