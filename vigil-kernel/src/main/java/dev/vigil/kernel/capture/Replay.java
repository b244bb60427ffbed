package dev.vigil.kernel.capture;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.event.Layout;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.ContainerSource;
import dev.vigil.kernel.state.Containers;
import dev.vigil.kernel.state.ProcSource;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.StateTracker;
import dev.vigil.kernel.state.UserSource;
import dev.vigil.kernel.state.Users;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays a capture file: the process table as it was, then each event with the container metadata,
 * user names and healed threads the live run used at that point, so that the rules see exactly what
 * they saw live. Nothing is read from this machine.
 */
public final class Replay {
  /** Receives the replayed events, with their thread and fd resolved. */
  public interface Handler {
    void event(SyscallEvent e);
  }

  /**
   * What a replay found.
   *
   * @param hostname where the capture was made
   * @param events events replayed
   * @param complete whether the file had its end record (false: the capture was interrupted)
   * @param kernelDrops events the kernel dropped during the capture (from the end record)
   */
  public record Summary(String hostname, long events, boolean complete, long kernelDrops) {}

  private Replay() {}

  /** The host name recorded in {@code file}'s header. */
  public static String hostname(Path file) throws IOException, CaptureFormatException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] head = in.readNBytes(17);
      if (head.length < 17 || !Arrays.equals(Arrays.copyOf(head, 8), CaptureFormat.MAGIC)) {
        throw new CaptureFormatException(0, "not a Vigil capture file (bad magic)");
      }
      if (head[12] != CaptureFormat.HEADER) {
        throw new CaptureFormatException(12, "the capture does not start with its header record");
      }
      long len = new Codec.In(head, 13, 4, 13).u32();
      if (len > CaptureFormat.MAX_STRING) {
        throw new CaptureFormatException(13, "header record of " + len + " bytes is too large");
      }
      byte[] body = in.readNBytes((int) len);
      if (body.length < len) {
        throw new CaptureFormatException(17, "the file ends inside the header");
      }
      return new Codec.In(body, 0, body.length, 17).str();
    }
  }

  /** Replays {@code file} into {@code handler}. */
  public static Summary run(Path file, EventTypes types, Handler handler)
      throws IOException, CaptureFormatException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      return new Reader(raw, types).run(handler);
    }
  }

  private static final class Reader implements ContainerSource, UserSource {
    private final InputStream in;
    private final EventTypes types;
    private final Map<String, ContainerInfo> containers = new HashMap<>();
    private final Map<String, Users.Db> users = new HashMap<>();
    private final StateTracker state;
    private final SyscallEvent event = new SyscallEvent();
    private long offset;
    private int[] codeMap = new int[0];
    private byte[] buf = new byte[1 << 16];

    Reader(InputStream in, EventTypes types) {
      this.in = in;
      this.types = types;
      this.state = new StateTracker(types, ProcSource.none(), this, this);
    }

    @Override
    public ContainerInfo of(String cgroups, long nowNanos) {
      String id = Containers.idOf(cgroups);
      if (id.equals(ContainerInfo.HOST.id())) {
        return ContainerInfo.HOST;
      }
      ContainerInfo c = containers.get(id);
      return c != null
          ? c
          : new ContainerInfo(id, "", "", "", false, false, false, 0, "", "", List.of(), Map.of());
    }

    @Override
    public Users.Db of(ContainerInfo container, int pid) {
      Users.Db db = users.get(container.isHost() ? ContainerInfo.HOST.id() : container.id());
      if (db == null) {
        db = users.get(ContainerInfo.HOST.id());
      }
      return db != null ? db : new Users.Db(Map.of(), Map.of());
    }

    Summary run(Handler handler) throws IOException, CaptureFormatException {
      byte[] magic = readFully(8, "the file is empty or not a Vigil capture");
      if (!Arrays.equals(magic, CaptureFormat.MAGIC)) {
        throw new CaptureFormatException(0, "not a Vigil capture file (bad magic)");
      }
      long version = new Codec.In(readFully(4, "truncated header"), 0, 4, 8).u32();
      if (version != CaptureFormat.VERSION) {
        throw new CaptureFormatException(
            8, "capture format version " + version + " is not supported (this Vigil reads 1)");
      }
      String hostname = "";
      long events = 0;
      boolean snapshot = false;
      boolean table = false;
      while (true) {
        long recordAt = offset;
        int kind = in.read();
        if (kind < 0) {
          return new Summary(hostname, events, false, 0);
        }
        offset++;
        byte[] lenBytes = readFully(4, "truncated record header");
        long len = new Codec.In(lenBytes, 0, 4, recordAt + 1).u32();
        if (len > CaptureFormat.MAX_RECORD) {
          throw new CaptureFormatException(recordAt, "record of " + len + " bytes is too large");
        }
        int n = (int) len;
        if (buf.length < n) {
          buf = new byte[Math.max(n, buf.length * 2)];
        }
        readInto(buf, n, recordAt);
        long payloadAt = recordAt + 5;
        Codec.In r = new Codec.In(buf, 0, n, payloadAt);
        switch (kind) {
          case CaptureFormat.HEADER -> hostname = r.str();
          case CaptureFormat.EVENT_TABLE -> {
            codeMap = codeMap(r);
            table = true;
          }
          case CaptureFormat.CONTAINER -> {
            ContainerInfo c = Codec.container(r);
            containers.put(c.id(), c);
          }
          case CaptureFormat.USERS -> {
            Codec.UsersRecord u = Codec.users(r);
            users.put(u.containerId(), u.db());
          }
          case CaptureFormat.THREAD -> {
            ProcessInfo p = Codec.process(r);
            ProcessInfo known = state.process(p.pid());
            state.addHealed(Codec.thread(r, Map.of(p.pid(), known != null ? known : p)));
          }
          case CaptureFormat.SNAPSHOT -> {
            if (snapshot) {
              throw new CaptureFormatException(recordAt, "a second process snapshot");
            }
            snapshot(r);
            snapshot = true;
          }
          case CaptureFormat.EVENT -> {
            if (!table) {
              throw new CaptureFormatException(recordAt, "an event before the event table");
            }
            checkEvent(buf, n, payloadAt);
            events++;
            event.wrap(buf, 0, events);
            state.apply(event);
            handler.event(event);
          }
          case CaptureFormat.END -> {
            long written = r.u64();
            long drops = r.u64();
            if (written != events) {
              throw new CaptureFormatException(
                  recordAt, "the end record counts " + written + " events, the file has " + events);
            }
            return new Summary(hostname, events, true, drops);
          }
          default -> throw new CaptureFormatException(recordAt, "unknown record kind " + kind);
        }
      }
    }

    private void snapshot(Codec.In r) throws CaptureFormatException {
      int np = r.count();
      Map<Integer, ProcessInfo> processes = new HashMap<>();
      for (int i = 0; i < np; i++) {
        ProcessInfo p = Codec.process(r);
        processes.put(p.pid(), p);
      }
      int nt = r.count();
      for (int i = 0; i < nt; i++) {
        state.add(Codec.thread(r, processes));
      }
      state.linkParents();
    }

    /** Capture codes → this Vigil's codes, by name (-1: unknown here). */
    private int[] codeMap(Codec.In r) throws CaptureFormatException {
      int n = r.count();
      int[] map = new int[n];
      for (int i = 0; i < n; i++) {
        String name = r.str();
        map[i] = types.byName(name).map(EventTypes.Type::code).orElse(-1);
      }
      return map;
    }

    /** Checks an event record's own lengths, and maps its code to this Vigil's table. */
    private void checkEvent(byte[] b, int n, long at) throws CaptureFormatException {
      if (n < Layout.HEADER) {
        throw new CaptureFormatException(at, "event record of " + n + " bytes is too short");
      }
      int length = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
      int type = (b[4] & 0xff) | (b[5] & 0xff) << 8;
      int nparams = (b[6] & 0xff) | (b[7] & 0xff) << 8;
      if (length != n) {
        throw new CaptureFormatException(at, "event length " + length + " != record length " + n);
      }
      if (type >= codeMap.length || codeMap[type] < 0) {
        throw new CaptureFormatException(at, "event of unknown type " + type);
      }
      long sum = Layout.HEADER + 2L * nparams;
      if (sum > n) {
        throw new CaptureFormatException(at, "event declares " + nparams + " parameters, too many");
      }
      for (int i = 0; i < nparams; i++) {
        int p = Layout.HEADER + 2 * i;
        sum += (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
      }
      if (sum != n) {
        throw new CaptureFormatException(at, "event parameter lengths do not add up");
      }
      int mapped = codeMap[type];
      b[4] = (byte) mapped;
      b[5] = (byte) (mapped >> 8);
    }

    private byte[] readFully(int n, String what) throws IOException, CaptureFormatException {
      byte[] b = new byte[n];
      readInto(b, n, offset, what);
      return b;
    }

    private void readInto(byte[] b, int n, long recordAt)
        throws IOException, CaptureFormatException {
      readInto(b, n, recordAt, "the file ends inside a record (truncated capture)");
    }

    private void readInto(byte[] b, int n, long at, String what)
        throws IOException, CaptureFormatException {
      try {
        int got = in.readNBytes(b, 0, n);
        if (got < n) {
          throw new EOFException();
        }
      } catch (EOFException e) {
        throw new CaptureFormatException(at, what);
      }
      offset += n;
      Objects.requireNonNull(b);
    }
  }
}
