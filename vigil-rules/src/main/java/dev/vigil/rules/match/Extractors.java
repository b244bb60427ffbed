package dev.vigil.rules.match;

import dev.vigil.event.Extractor;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.FieldType;
import dev.vigil.rules.compile.Cond;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Binds operands to extractors: fields through the source's factory, transformers as extractors
 * wrapping their arguments', constants as constant extractors.
 */
public final class Extractors {
  private Extractors() {}

  /** The extractor for an operand: a field, a transformer of operands, or a constant. */
  public static <E> Extractor<E> bind(Cond.Operand o, ExtractorFactory<?> factory) {
    return switch (o) {
      case Cond.FieldOperand f -> field(f, factory);
      case Cond.TransformerOperand t -> transformer(t, factory);
      case Cond.ConstOperand c -> constant(c.value());
      case Cond.ListOperand l -> list(l, factory);
    };
  }

  @SuppressWarnings("unchecked")
  private static <E> Extractor<E> field(Cond.FieldOperand f, ExtractorFactory<?> factory) {
    Extractor<E> x = (Extractor<E>) factory.extractor(f.field(), f.arg());
    boolean ok =
        f.arity() != Cond.Arity.SINGLE
            ? x instanceof Extractor.OfList || x instanceof Extractor.OfBytesList
            : switch (f.type().kind()) {
              case STRING -> x instanceof Extractor.OfString;
              case SIGNED, UNSIGNED, BOOL -> x instanceof Extractor.OfLong;
              case DOUBLE -> x instanceof Extractor.OfDouble;
              case BYTES, IPADDR, IPNET, NET -> x instanceof Extractor.OfBytes;
            };
    if (!ok) {
      throw new IllegalStateException(
          "source extractor for "
              + f.field().name()
              + " is "
              + x.getClass().getSimpleName()
              + ", which does not fit its "
              + f.arity()
              + " "
              + f.type()
              + " type");
    }
    return x;
  }

  static <E> Extractor.OfString<E> constant(String value) {
    return new Extractor.OfString<>() {
      @Override
      public String text(E event) {
        return value;
      }

      @Override
      public FieldType type() {
        return FieldType.CHARBUF;
      }
    };
  }

  private static <E> Extractor.OfList<E> list(Cond.ListOperand l, ExtractorFactory<?> factory) {
    List<Extractor<E>> items = new ArrayList<>();
    for (Cond.Operand o : l.items()) {
      items.add(bind(o, factory));
    }
    return new Extractor.OfList<>() {
      @Override
      public List<String> values(E event) {
        List<String> out = new ArrayList<>(items.size());
        for (Extractor<E> x : items) {
          if (x instanceof Extractor.OfList<E> lx) {
            List<String> vs = lx.values(event);
            if (vs != null) {
              out.addAll(vs);
            }
          } else {
            String v = x.format(event);
            if (v != null) {
              out.add(v);
            }
          }
        }
        return out;
      }

      @Override
      public FieldType type() {
        return FieldType.CHARBUF;
      }
    };
  }

  private static <E> Extractor<E> transformer(
      Cond.TransformerOperand t, ExtractorFactory<?> factory) {
    List<Extractor<E>> args = new ArrayList<>();
    for (Cond.Operand a : t.args()) {
      args.add(bind(a, factory));
    }
    return switch (t.name()) {
      case "tolower" -> mapText(args.getFirst(), Strings::asciiLower, t.type());
      case "toupper" -> mapText(args.getFirst(), Strings::asciiUpper, t.type());
      case "basename" -> mapText(args.getFirst(), Extractors::basename, t.type());
      case "b64" -> b64(args.getFirst(), t.type());
      case "len" -> len(args.getFirst());
      case "join" -> join(args.get(0), args.get(1));
      case "concat" -> concat(args);
      case "getopt" -> Getopt.extractor(args.get(0), args.get(1));
      default -> throw new IllegalStateException("unknown transformer " + t.name());
    };
  }

  static String basename(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  private static <E> Extractor<E> mapText(
      Extractor<E> in, UnaryOperator<String> f, FieldType type) {
    if (in instanceof Extractor.OfList<E> list) {
      return new Extractor.OfList<>() {
        @Override
        public @Nullable List<String> values(E event) {
          List<String> vs = list.values(event);
          return vs == null ? null : vs.stream().map(f).toList();
        }

        @Override
        public FieldType type() {
          return type;
        }
      };
    }
    Extractor.OfString<E> s = (Extractor.OfString<E>) in;
    return new Extractor.OfString<>() {
      @Override
      public @Nullable String text(E event) {
        String v = s.text(event);
        return v == null ? null : f.apply(v);
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  private static <E> Extractor<E> b64(Extractor<E> in, FieldType type) {
    if (in instanceof Extractor.OfBytes<E> bytes) {
      return new Extractor.OfBytes<>() {
        @Override
        public byte @Nullable [] bytes(E event) {
          byte[] v = bytes.bytes(event);
          return v == null ? null : decode(new String(v, StandardCharsets.ISO_8859_1));
        }

        @Override
        public @Nullable String format(E event) {
          byte[] v = bytes(event);
          return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        @Override
        public FieldType type() {
          return type;
        }
      };
    }
    return mapNullable(
        in,
        v -> {
          byte[] d = decode(v);
          return d == null ? null : new String(d, StandardCharsets.UTF_8);
        },
        type);
  }

  /** Base64 decoding that accepts missing padding; null when the input is not base64. */
  static byte @Nullable [] decode(String s) {
    String v = s.strip();
    int rem = v.length() % 4;
    String padded = rem == 2 ? v + "==" : rem == 3 ? v + "=" : v;
    try {
      return Base64.getDecoder().decode(padded);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static <E> Extractor<E> mapNullable(
      Extractor<E> in, java.util.function.Function<String, @Nullable String> f, FieldType type) {
    Extractor.OfString<E> s = (Extractor.OfString<E>) in;
    return new Extractor.OfString<>() {
      @Override
      public @Nullable String text(E event) {
        String v = s.text(event);
        return v == null ? null : f.apply(v);
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  private static <E> Extractor<E> len(Extractor<E> in) {
    return new Extractor.OfLong<>() {
      @Override
      public boolean has(E event) {
        return switch (in) {
          case Extractor.OfString<E> s -> s.text(event) != null;
          case Extractor.OfBytes<E> b -> b.bytes(event) != null;
          case Extractor.OfList<E> l -> l.values(event) != null;
          case Extractor.OfBytesList<E> l -> l.values(event) != null;
          case Extractor.OfLong<E> n -> n.has(event);
          case Extractor.OfDouble<E> d -> d.has(event);
        };
      }

      @Override
      public long number(E event) {
        return switch (in) {
          case Extractor.OfString<E> s -> lengthOf(s.text(event));
          case Extractor.OfBytes<E> b -> {
            byte[] v = b.bytes(event);
            yield v == null ? 0 : v.length;
          }
          case Extractor.OfList<E> l -> {
            List<String> v = l.values(event);
            yield v == null ? 0 : v.size();
          }
          case Extractor.OfBytesList<E> l -> {
            List<byte[]> v = l.values(event);
            yield v == null ? 0 : v.size();
          }
          case Extractor.OfLong<E> n -> 0;
          case Extractor.OfDouble<E> d -> 0;
        };
      }

      @Override
      public FieldType type() {
        return FieldType.UINT64;
      }
    };
  }

  private static long lengthOf(@Nullable String s) {
    return s == null ? 0 : s.length();
  }

  private static <E> Extractor<E> join(Extractor<E> sep, Extractor<E> list) {
    return new Extractor.OfString<>() {
      @Override
      public @Nullable String text(E event) {
        String s = sep.format(event);
        List<String> vs = list instanceof Extractor.OfList<E> l ? l.values(event) : null;
        if (s == null || vs == null) {
          return null;
        }
        return String.join(s, vs);
      }

      @Override
      public FieldType type() {
        return FieldType.CHARBUF;
      }
    };
  }

  private static <E> Extractor<E> concat(List<Extractor<E>> args) {
    return new Extractor.OfString<>() {
      @Override
      public @Nullable String text(E event) {
        StringBuilder sb = new StringBuilder();
        for (Extractor<E> a : args) {
          String v = a.format(event);
          if (v == null) {
            return null;
          }
          sb.append(v);
        }
        return sb.toString();
      }

      @Override
      public FieldType type() {
        return FieldType.CHARBUF;
      }
    };
  }
}
