package dev.vigil.rules.match;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code getopt(args, optstring)} transformer: parses an argument list as POSIX getopt would,
 * yielding each recognised option letter followed, for options that take one, by its argument
 * ({@code ""} when missing). {@code --} ends option parsing; unknown options are skipped; options
 * after non-option arguments are still parsed.
 */
final class Getopt {
  private Getopt() {}

  static <E> Extractor.OfList<E> extractor(Extractor<E> args, Extractor<E> optstring) {
    return new Extractor.OfList<>() {
      @Override
      public @Nullable List<String> values(E event) {
        List<String> in = args instanceof Extractor.OfList<E> l ? l.values(event) : null;
        String opts = optstring.format(event);
        return in == null || opts == null ? null : parse(in, opts);
      }

      @Override
      public FieldType type() {
        return FieldType.CHARBUF;
      }
    };
  }

  static List<String> parse(List<String> args, String optstring) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        break;
      }
      if (a.length() < 2 || a.charAt(0) != '-') {
        continue;
      }
      for (int j = 1; j < a.length(); j++) {
        char c = a.charAt(j);
        int at = optstring.indexOf(c);
        if (at < 0 || c == ':') {
          continue;
        }
        out.add(String.valueOf(c));
        if (at + 1 < optstring.length() && optstring.charAt(at + 1) == ':') {
          if (j + 1 < a.length()) {
            out.add(a.substring(j + 1));
          } else if (i + 1 < args.size()) {
            out.add(args.get(++i));
          } else {
            out.add("");
          }
          break;
        }
      }
    }
    return out;
  }
}
