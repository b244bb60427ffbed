package dev.vigil.k8saudit.webhook;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The spool's file formats. A segment ({@code NNNNNNNNNNNNNNNNNNNN.seg}) and a key file ({@code
 * NNNNNNNNNNNNNNNNNNNN.keys}) start with an 8-byte magic, then records, each framed as a 4-byte
 * big-endian payload length, the payload's CRC32C (4 bytes), then the payload. Appends only; a
 * record that is cut short or fails its CRC ends the valid part of the file.
 *
 * <p>A segment record is one accepted batch: {@code receivedNanos} (8 bytes), the event count (4),
 * then per event its de-duplication key (2-byte length, UTF-8) and its JSON (4-byte length, bytes).
 * A key file holds one record: the count (4), then the keys (2-byte length, UTF-8) of a consumed
 * segment, so that retries are still recognised after the segment is deleted.
 */
final class SpoolFiles {
  static final byte[] SEGMENT_MAGIC = "VIGILSP1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] KEYS_MAGIC = "VIGILSK1".getBytes(StandardCharsets.US_ASCII);
  static final int MAGIC = 8;
  static final int FRAME = 8;
  static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;

  private SpoolFiles() {}

  static Path segment(Path dir, long id) {
    return dir.resolve(String.format("%020d.seg", id));
  }

  static Path keys(Path dir, long id) {
    return dir.resolve(String.format("%020d.keys", id));
  }

  /** The id in a file name {@code NNN.ext}, if it is one. */
  static OptionalLong id(Path file, String ext) {
    String n = file.getFileName().toString();
    if (!n.endsWith(ext) || n.length() != 20 + ext.length()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(n.substring(0, 20)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  /** A framed record: length, CRC32C, payload. */
  static ByteBuffer frame(byte[] payload, int len) {
    ByteBuffer b = ByteBuffer.allocate(FRAME + len);
    b.putInt(len).putInt(crc(payload, 0, len)).put(payload, 0, len).flip();
    return b;
  }

  /** Sees each valid record of a file: its offset and payload (valid during the call). */
  interface Visitor {
    void record(long offset, byte[] payload, int length);
  }

  /**
   * What a scan found.
   *
   * @param validEnd the offset after the last valid record (0 when the header is bad)
   * @param size the file's size
   * @param problem what ends the file early: a torn or corrupt record, a bad header
   */
  record Scan(long validEnd, long size, Optional<String> problem) {}

  /** Reads every record from the start, checking frames and CRCs. */
  static Scan scan(FileChannel ch, byte[] magic, Visitor v) throws IOException {
    long size = ch.size();
    if (size < MAGIC) {
      return new Scan(0, size, Optional.of("shorter than its " + MAGIC + "-byte header"));
    }
    ByteBuffer head = ByteBuffer.allocate(MAGIC);
    readFully(ch, head, 0);
    if (!Arrays.equals(head.array(), magic)) {
      return new Scan(
          0,
          size,
          Optional.of("its header is not " + new String(magic, StandardCharsets.US_ASCII)));
    }
    long pos = MAGIC;
    ByteBuffer frame = ByteBuffer.allocate(FRAME);
    byte[] payload = new byte[1 << 16];
    while (pos < size) {
      if (size - pos < FRAME) {
        return new Scan(pos, size, Optional.of("torn record header at byte " + pos));
      }
      frame.clear();
      readFully(ch, frame, pos);
      int len = frame.getInt(0);
      int crc = frame.getInt(4);
      if (len == 0 && crc == 0) {
        return new Scan(pos, size, Optional.of("zeroed tail from byte " + pos));
      }
      if (len <= 0 || len > MAX_PAYLOAD) {
        return new Scan(
            pos, size, Optional.of("corrupt record at byte " + pos + " (length " + len + ")"));
      }
      if (size - pos - FRAME < len) {
        return new Scan(
            pos,
            size,
            Optional.of(
                "torn record at byte "
                    + pos
                    + " ("
                    + len
                    + " bytes announced, "
                    + (size - pos - FRAME)
                    + " present)"));
      }
      if (payload.length < len) {
        payload = new byte[Math.max(len, (int) Math.min(MAX_PAYLOAD, 2L * payload.length))];
      }
      readFully(ch, ByteBuffer.wrap(payload, 0, len), pos + FRAME);
      if (crc(payload, 0, len) != crc) {
        return new Scan(
            pos, size, Optional.of("corrupt record at byte " + pos + " (CRC32C mismatch)"));
      }
      v.record(pos, payload, len);
      pos += FRAME + len;
    }
    return new Scan(pos, size, Optional.empty());
  }

  static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long p = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new EOFException("the spool file ended at byte " + p);
      }
      p += n;
    }
  }

  /** A batch record's payload. */
  static byte[] encodeBatch(List<Ingest.Item> items, long receivedNanos) {
    long size = 12;
    byte[][] keys = new byte[items.size()][];
    for (int i = 0; i < keys.length; i++) {
      Ingest.Item it = items.get(i);
      keys[i] = it.key().getBytes(StandardCharsets.UTF_8);
      size += 6L + Math.min(keys[i].length, 0xffff) + (it.end() - it.start());
    }
    if (size > MAX_PAYLOAD) {
      throw new IllegalArgumentException("a batch of " + size + " bytes is too large to spool");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size);
    b.putLong(receivedNanos).putInt(items.size());
    for (int i = 0; i < keys.length; i++) {
      Ingest.Item it = items.get(i);
      int kl = Math.min(keys[i].length, 0xffff);
      b.putShort((short) kl).put(keys[i], 0, kl);
      b.putInt(it.end() - it.start()).put(it.bytes(), it.start(), it.end() - it.start());
    }
    return b.array();
  }

  /** Sees the events of a batch record. */
  interface BatchVisitor {
    void event(int index, String key, int start, int end);
  }

  /** Reads a batch payload; returns its {@code receivedNanos}. A malformed payload throws. */
  static long decodeBatch(byte[] p, int len, BatchVisitor v) {
    ByteBuffer b = ByteBuffer.wrap(p, 0, len);
    long received = b.getLong();
    int count = b.getInt();
    for (int i = 0; i < count; i++) {
      int kl = Short.toUnsignedInt(b.getShort());
      String key = new String(p, b.position(), kl, StandardCharsets.UTF_8);
      b.position(b.position() + kl);
      int el = b.getInt();
      if (el < 0 || el > b.remaining()) {
        throw new IllegalArgumentException("event " + i + " overruns its record");
      }
      v.event(i, key, b.position(), b.position() + el);
      b.position(b.position() + el);
    }
    return received;
  }

  /** A key file's payload. */
  static byte[] encodeKeys(List<String> keys) {
    ByteBuffer b = ByteBuffer.allocate(4 + keys.stream().mapToInt(k -> 2 + utf8(k).length).sum());
    b.putInt(keys.size());
    for (String k : keys) {
      byte[] u = utf8(k);
      b.putShort((short) u.length).put(u);
    }
    return b.array();
  }

  static void decodeKeys(byte[] p, int len, java.util.function.Consumer<String> into) {
    ByteBuffer b = ByteBuffer.wrap(p, 0, len);
    int count = b.getInt();
    for (int i = 0; i < count; i++) {
      int kl = Short.toUnsignedInt(b.getShort());
      into.accept(new String(p, b.position(), kl, StandardCharsets.UTF_8));
      b.position(b.position() + kl);
    }
  }

  private static byte[] utf8(String k) {
    byte[] u = k.getBytes(StandardCharsets.UTF_8);
    return u.length <= 0xffff ? u : Arrays.copyOf(u, 0xffff);
  }
}
