package dev.vigil.kernel.state;

/** Path arithmetic as libsinsp does it for fd names: join with a base, then normalise. */
public final class Paths {
  private Paths() {}

  /**
   * {@code path} made absolute against {@code base} (when relative) and normalised: repeated
   * slashes collapsed, {@code .} removed, {@code ..} applied (never above the root).
   */
  public static String resolve(String base, String path) {
    if (path.isEmpty()) {
      return base.isEmpty() ? "" : normalize(base);
    }
    if (path.charAt(0) == '/') {
      return normalize(path);
    }
    if (base.isEmpty()) {
      return normalize("/" + path);
    }
    return normalize(base + "/" + path);
  }

  /** Normalises an absolute path; fast when there is nothing to do. */
  public static String normalize(String p) {
    if (isNormal(p)) {
      return p;
    }
    String[] parts = new String[p.length() / 2 + 1];
    int n = 0;
    int i = 0;
    int len = p.length();
    while (i < len) {
      while (i < len && p.charAt(i) == '/') {
        i++;
      }
      int start = i;
      while (i < len && p.charAt(i) != '/') {
        i++;
      }
      if (start == i) {
        break;
      }
      String part = p.substring(start, i);
      if (part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (n > 0) {
          n--;
        }
        continue;
      }
      parts[n++] = part;
    }
    if (n == 0) {
      return "/";
    }
    StringBuilder sb = new StringBuilder(len);
    for (int k = 0; k < n; k++) {
      sb.append('/').append(parts[k]);
    }
    return sb.toString();
  }

  private static boolean isNormal(String p) {
    int len = p.length();
    if (len == 0 || p.charAt(0) != '/') {
      return false;
    }
    if (len > 1 && p.charAt(len - 1) == '/') {
      return false;
    }
    for (int i = 1; i < len; i++) {
      char c = p.charAt(i);
      if (c == '/' && p.charAt(i - 1) == '/') {
        return false;
      }
      if (c == '.' && p.charAt(i - 1) == '/') {
        int end = i + 1;
        if (end == len || p.charAt(end) == '/') {
          return false;
        }
        if (p.charAt(end) == '.' && (end + 1 == len || p.charAt(end + 1) == '/')) {
          return false;
        }
      }
    }
    return true;
  }
}
