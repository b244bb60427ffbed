package dev.vigil.kernel.capture;

/**
 * The capture file format, version 1. All integers little-endian.
 *
 * <pre>
 * file    = magic "VIGILCAP" (8 bytes), u32 version, record*
 * record  = u8 kind, u32 length, payload[length]
 * </pre>
 *
 * Record kinds, in the order they appear:
 *
 * <ul>
 *   <li>{@code HEADER} (1): hostname, creation time (epoch ns), kernel release, Vigil version.
 *   <li>{@code EVENT_TABLE} (2): the names of the event codes the events use (u32 count, then
 *       strings), so that a capture stays readable when Vigil's event table changes.
 *   <li>{@code CONTAINER} (3): what was known about a container from that point on.
 *   <li>{@code USERS} (4): the user and group names of a container (or the host) from that point
 *       on.
 *   <li>{@code THREAD} (5): a thread (with its process and fds) read from /proc when it was first
 *       met in an event; it precedes that event.
 *   <li>{@code SNAPSHOT} (6): the process table when capture started: processes with their fds,
 *       then threads. Exactly one, before the first event.
 *   <li>{@code EVENT} (7): one event record exactly as the probe wrote it ({@code Layout}).
 *   <li>{@code END} (8): u64 events written, u64 events dropped in the kernel. Missing when the
 *       capture was interrupted; readers replay what is there and say so.
 * </ul>
 *
 * Strings are u32 byte length + UTF-8. Lists are u32 count + items. Limits when reading: records up
 * to 64 MiB, strings up to 1 MiB, lists up to 1,048,576 items.
 */
public final class CaptureFormat {
  private CaptureFormat() {}

  static final byte[] MAGIC = {'V', 'I', 'G', 'I', 'L', 'C', 'A', 'P'};
  static final int VERSION = 1;

  static final int HEADER = 1;
  static final int EVENT_TABLE = 2;
  static final int CONTAINER = 3;
  static final int USERS = 4;
  static final int THREAD = 5;
  static final int SNAPSHOT = 6;
  static final int EVENT = 7;
  static final int END = 8;

  static final int MAX_RECORD = 64 << 20;
  static final int MAX_STRING = 1 << 20;
  static final int MAX_ITEMS = 1 << 20;
}
