package dev.vigil.kernel.capture;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.StateTracker;
import dev.vigil.kernel.state.ThreadInfo;
import dev.vigil.kernel.state.Users;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a capture file (see {@link CaptureFormat}). Used from the capture thread only. */
public final class CaptureWriter implements Recording, AutoCloseable {
  private final OutputStream out;
  private final byte[] head = new byte[5];
  private long events;
  private boolean closed;

  /**
   * Creates {@code file} and writes the header and the event table.
   *
   * @param hostname the machine's name
   * @param kernel the kernel release
   * @param version Vigil's version
   */
  public CaptureWriter(Path file, EventTypes types, String hostname, String kernel, String version)
      throws IOException {
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    out.write(CaptureFormat.MAGIC);
    out.write(new Codec.Out().u32(CaptureFormat.VERSION).toBytes());
    java.time.Instant now = java.time.Instant.now();
    record(
        CaptureFormat.HEADER,
        new Codec.Out()
            .str(hostname)
            .u64(now.getEpochSecond() * 1_000_000_000L + now.getNano())
            .str(kernel)
            .str(version)
            .toBytes());
    Codec.Out t = new Codec.Out().u32(types.size());
    for (EventTypes.Type type : types.all()) {
      t.str(type.name());
    }
    record(CaptureFormat.EVENT_TABLE, t.toBytes());
  }

  private void record(int kind, byte[] payload) {
    record(kind, payload, 0, payload.length);
  }

  private void record(int kind, byte[] payload, int offset, int length) {
    head[0] = (byte) kind;
    for (int i = 0; i < 4; i++) {
      head[1 + i] = (byte) (length >>> (8 * i));
    }
    try {
      out.write(head);
      out.write(payload, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the capture file failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void container(ContainerInfo c) {
    Codec.Out o = new Codec.Out();
    Codec.container(o, c);
    record(CaptureFormat.CONTAINER, o.toBytes());
  }

  @Override
  public void users(String containerId, Users.Db db) {
    Codec.Out o = new Codec.Out();
    Codec.users(o, containerId, db);
    record(CaptureFormat.USERS, o.toBytes());
  }

  @Override
  public void thread(ThreadInfo t) {
    Codec.Out o = new Codec.Out();
    Codec.process(o, t.process());
    Codec.thread(o, t);
    record(CaptureFormat.THREAD, o.toBytes());
  }

  @Override
  public void snapshot(StateTracker state) {
    List<ThreadInfo> threads = state.threads();
    Map<Integer, ProcessInfo> processes = new LinkedHashMap<>();
    for (ThreadInfo t : threads) {
      processes.putIfAbsent(t.process().pid(), t.process());
    }
    Codec.Out o = new Codec.Out().u32(processes.size());
    processes.values().forEach(p -> Codec.process(o, p));
    o.u32(threads.size());
    threads.forEach(t -> Codec.thread(o, t));
    record(CaptureFormat.SNAPSHOT, o.toBytes());
  }

  @Override
  public void event(byte[] buffer, int offset, int length) {
    record(CaptureFormat.EVENT, buffer, offset, length);
    events++;
  }

  public long events() {
    return events;
  }

  /** Writes the end record and closes the file. */
  public void finish(long kernelDrops) throws IOException {
    if (closed) {
      return;
    }
    record(CaptureFormat.END, new Codec.Out().u64(events).u64(kernelDrops).toBytes());
    close();
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
