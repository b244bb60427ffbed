package dev.vigil.kernel.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Socket fds from the probe's tuple and address encodings (Falco's): a family byte, then for
 * IPv4/IPv6 the local address and port and the remote address and port (addresses in network order,
 * ports as little-endian 16-bit numbers), for unix sockets two 64-bit socket ids and the path; an
 * address is a family byte, address and port, or a path.
 */
public final class Sockets {
  private static final int AF_UNIX = 1;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;

  private Sockets() {}

  /**
   * The fd {@code num} described by {@code tuple}; {@code server} for the accepting side (its local
   * end is the server). Keeps the transport of {@code existing}. Null if the tuple is empty.
   */
  static @Nullable FdInfo fromTuple(
      int num, byte @Nullable [] tuple, @Nullable FdInfo existing, boolean server) {
    if (tuple == null || tuple.length == 0) {
      return null;
    }
    int family = tuple[0] & 0xff;
    String proto = existing != null && !existing.l4proto().isEmpty() ? existing.l4proto() : "tcp";
    if ((family == AF_INET && tuple.length >= 13) || (family == AF_INET6 && tuple.length >= 37)) {
      int alen = family == AF_INET ? 4 : 16;
      byte[] local = slice(tuple, 1, alen);
      int lport = port(tuple, 1 + alen);
      byte[] remote = slice(tuple, 3 + alen, alen);
      int rport = port(tuple, 3 + 2 * alen);
      FdInfo.Kind kind = family == AF_INET ? FdInfo.Kind.IPV4 : FdInfo.Kind.IPV6;
      byte[] cip = server ? remote : local;
      int cport = server ? rport : lport;
      byte[] sip = server ? local : remote;
      int sport = server ? lport : rport;
      String name = ip(cip) + ":" + cport + "->" + ip(sip) + ":" + sport;
      return new FdInfo(num, kind, name, name).tuple(cip, cport, sip, sport, proto, true, server);
    }
    if (family == AF_UNIX && tuple.length >= 17) {
      String path = new String(tuple, 17, tuple.length - 17, StandardCharsets.UTF_8);
      return new FdInfo(num, FdInfo.Kind.UNIX, path, path);
    }
    return null;
  }

  /** A connect's target address, when the socket's own tuple was not available. */
  static @Nullable FdInfo fromAddress(int num, byte @Nullable [] addr, @Nullable FdInfo existing) {
    if (addr == null || addr.length == 0) {
      return null;
    }
    int family = addr[0] & 0xff;
    String proto = existing != null && !existing.l4proto().isEmpty() ? existing.l4proto() : "tcp";
    if ((family == AF_INET && addr.length >= 7) || (family == AF_INET6 && addr.length >= 19)) {
      int alen = family == AF_INET ? 4 : 16;
      byte[] sip = slice(addr, 1, alen);
      int sport = port(addr, 1 + alen);
      byte[] cip = new byte[alen];
      String name = ip(cip) + ":0->" + ip(sip) + ":" + sport;
      return new FdInfo(num, family == AF_INET ? FdInfo.Kind.IPV4 : FdInfo.Kind.IPV6, name, name)
          .tuple(cip, 0, sip, sport, proto, true, false);
    }
    if (family == AF_UNIX) {
      String path = new String(addr, 1, addr.length - 1, StandardCharsets.UTF_8);
      return new FdInfo(num, FdInfo.Kind.UNIX, path, path);
    }
    return null;
  }

  private static byte[] slice(byte[] b, int from, int len) {
    byte[] out = new byte[len];
    System.arraycopy(b, from, out, 0, len);
    return out;
  }

  private static int port(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  /**
   * An address as Falco prints it (glibc's {@code inet_ntop}): IPv4 dotted, IPv6 in lower-case hex
   * with the longest run of two or more zero groups as {@code ::} ({@code ::1}), and IPv4-mapped or
   * -compatible IPv6 addresses ending in dotted IPv4 ({@code ::ffff:10.0.0.1}).
   */
  public static String ip(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    if (a.length != 16) {
      return "";
    }
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
    }
    int bestBase = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && words[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestBase = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestLen < 2) {
      bestBase = -1;
    }
    StringBuilder out = new StringBuilder(40);
    for (int i = 0; i < 8; i++) {
      if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
        if (i == bestBase) {
          out.append(':');
        }
        continue;
      }
      if (i != 0) {
        out.append(':');
      }
      if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
        out.append(ip(Arrays.copyOfRange(a, 12, 16)));
        return out.toString();
      }
      out.append(Integer.toHexString(words[i]));
    }
    if (bestBase >= 0 && bestBase + bestLen == 8) {
      out.append(':');
    }
    return out.toString();
  }
}
