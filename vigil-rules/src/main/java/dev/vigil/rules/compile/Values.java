package dev.vigil.rules.compile;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.vigil.event.FieldType;
import java.net.InetAddress;
import java.util.Optional;

/** Parsing of condition constants into typed values, with libsinsp's rules for each type. */
public final class Values {
  private Values() {}

  /**
   * Checks that {@code value} is a valid constant for {@code type}; returns {@code ""} when it is,
   * or what kind of value was expected.
   */
  static String check(FieldType type, String value) {
    return switch (type.kind()) {
      case SIGNED, UNSIGNED, DOUBLE -> parseLong(value).isPresent() ? "" : "numeric";
      case BOOL -> parseBool(value).isPresent() ? "" : "boolean";
      case IPADDR -> parseIp(value).isPresent() ? "" : "IP address";
      case IPNET -> parseNet(value).isPresent() ? "" : "IP network";
      case STRING, BYTES, NET -> "";
    };
  }

  /** A decimal or {@code 0x} hexadecimal integer, optionally signed; unsigned 64-bit allowed. */
  public static Optional<Long> parseLong(String s) {
    String v = s.strip();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      boolean neg = v.startsWith("-");
      String body = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
      long n;
      if (body.startsWith("0x") || body.startsWith("0X")) {
        n = Long.parseUnsignedLong(body.substring(2), 16);
      } else {
        if (body.isEmpty() || !body.chars().allMatch(Character::isDigit)) {
          return Optional.empty();
        }
        n = Long.parseUnsignedLong(body);
      }
      return Optional.of(neg ? -n : n);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static Optional<Boolean> parseBool(String s) {
    return switch (s) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** An IPv4 or IPv6 literal as bytes (never a name lookup). */
  public static Optional<byte[]> parseIp(String s) {
    String v = s.strip();
    if (v.indexOf(':') >= 0) {
      try {
        return Optional.of(InetAddress.ofLiteral(v).getAddress());
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    String[] parts = v.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      int n = Integer.parseInt(p);
      if (n > 255) {
        return Optional.empty();
      }
      out[i] = (byte) n;
    }
    return Optional.of(out);
  }

  /** A network: an address with a prefix length, or a single address. */
  public static final class Net {
    private final byte[] address;
    private final int prefix;

    Net(byte[] address, int prefix) {
      this.address = address.clone();
      this.prefix = prefix;
    }

    public int prefix() {
      return prefix;
    }

    /** True when {@code ip} (of the same family) is inside the network. */
    public boolean contains(byte[] ip) {
      if (ip.length != address.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (ip[i] != address[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (ip[full] & mask) == (address[full] & mask);
    }
  }

  public static Optional<Net> parseNet(String s) {
    String v = s.strip();
    int slash = v.indexOf('/');
    Optional<byte[]> ip = parseIp(slash < 0 ? v : v.substring(0, slash));
    if (ip.isEmpty()) {
      return Optional.empty();
    }
    int bits = ip.get().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = v.substring(slash + 1);
      if (p.isEmpty() || !p.chars().allMatch(Character::isDigit) || p.length() > 3) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        return Optional.empty();
      }
    }
    return Optional.of(new Net(ip.get(), prefix));
  }

  /** The bytes of an even-length hex string ({@code bcontains} operands). */
  public static Optional<byte[]> hexBytes(String s) {
    if (s.isEmpty() || s.length() % 2 != 0) {
      return Optional.empty();
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return Optional.empty();
      }
      out[i] = (byte) (hi * 16 + lo);
    }
    return Optional.of(out);
  }

  /** The RE2 syntax error of a pattern, or {@code ""}. */
  static String regexError(String pattern) {
    try {
      Pattern.compile(pattern);
      return "";
    } catch (PatternSyntaxException e) {
      String m = e.getMessage();
      return m == null ? "invalid pattern" : m;
    }
  }

  /**
   * True for a regex that a simpler operator expresses: a literal optionally anchored or padded
   * with {@code .*}, {@code .+} or {@code .?} (libsinsp warns about these).
   */
  static boolean isTrivialRegex(String pattern) {
    String p = pattern;
    if (p.startsWith("^")) {
      p = p.substring(1);
    } else if (p.startsWith(".*") || p.startsWith(".+") || p.startsWith(".?")) {
      p = p.substring(2);
    }
    if (p.endsWith("$") && !p.endsWith("\\$")) {
      p = p.substring(0, p.length() - 1);
    } else if (p.endsWith(".*") || p.endsWith(".+") || p.endsWith(".?")) {
      p = p.substring(0, p.length() - 2);
    }
    if (p.isEmpty()) {
      return false;
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
