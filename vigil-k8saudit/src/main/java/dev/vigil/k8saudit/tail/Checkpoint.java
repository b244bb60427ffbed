package dev.vigil.k8saudit.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where a tailer stands: the identity of the file it reads (device and inode, as the JDK's file key
 * prints them), the offset after the last complete line it delivered, and a fingerprint of the
 * file's first bytes (inodes are reused: a new file can get the identity of a deleted one). Stored
 * as one line of text, {@code <offset> <headLength> <headCrc> <file key>}, replaced atomically.
 *
 * @param fileKey the file's identity
 * @param offset bytes of that file already delivered
 * @param headLength how many of the file's first bytes the fingerprint covers
 * @param headCrc CRC-32 of those bytes
 */
public record Checkpoint(String fileKey, long offset, int headLength, long headCrc) {

  /** Reads a checkpoint file; empty when there is none or it is unreadable (reported by caller). */
  public static Optional<Checkpoint> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ", 4);
    if (parts.length != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Checkpoint(
              parts[3],
              Long.parseLong(parts[0]),
              Integer.parseInt(parts[1]),
              Long.parseLong(parts[2])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A checkpoint of the file open as {@code ch}: its first bytes read without moving it. */
  static Checkpoint at(String fileKey, long offset, java.nio.channels.FileChannel ch)
      throws IOException {
    int n = (int) Math.min(offset, HEAD);
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(n);
    while (bb.hasRemaining() && ch.read(bb, bb.position()) > 0) {
      // positional reads leave the channel's position alone
    }
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bb.array(), 0, bb.position());
    return new Checkpoint(fileKey, offset, bb.position(), crc.getValue());
  }

  /** Whether {@code file} starts with the bytes this checkpoint fingerprinted. */
  boolean sameHead(Path file) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(file)) {
      Checkpoint now = at(fileKey, headLength, ch);
      return now.headLength == headLength && now.headCrc == headCrc;
    }
  }

  /** Bytes covered by the fingerprint at most. */
  static final int HEAD = 1024;

  /** Writes this checkpoint to {@code file}: a temporary file renamed over it. */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        offset + " " + headLength + " " + headCrc + " " + fileKey + "\n",
        StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
