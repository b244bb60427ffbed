package dev.vigil.kernel.fields;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/** Small builders for extractors over {@link SyscallEvent}s. */
final class X {
  private X() {}

  static Extractor<SyscallEvent> text(FieldType type, Function<SyscallEvent, @Nullable String> f) {
    return new Extractor.OfString<>() {
      @Override
      public @Nullable String text(SyscallEvent e) {
        return f.apply(e);
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  static Extractor<SyscallEvent> num(
      FieldType type, Predicate<SyscallEvent> has, ToLongFunction<SyscallEvent> f) {
    return new Extractor.OfLong<>() {
      @Override
      public boolean has(SyscallEvent e) {
        return has.test(e);
      }

      @Override
      public long number(SyscallEvent e) {
        return f.applyAsLong(e);
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  /** A boolean field: present when {@code has}, true when {@code value}. */
  static Extractor<SyscallEvent> bool(Predicate<SyscallEvent> has, Predicate<SyscallEvent> value) {
    return num(FieldType.BOOL, has, e -> value.test(e) ? 1 : 0);
  }

  static Extractor<SyscallEvent> list(
      FieldType type, Function<SyscallEvent, @Nullable List<String>> f) {
    return new Extractor.OfList<>() {
      @Override
      public @Nullable List<String> values(SyscallEvent e) {
        return f.apply(e);
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  static Extractor<SyscallEvent> bytes(
      FieldType type,
      Function<SyscallEvent, byte @Nullable []> f,
      Function<byte[], String> format) {
    return new Extractor.OfBytes<>() {
      @Override
      public byte @Nullable [] bytes(SyscallEvent e) {
        return f.apply(e);
      }

      @Override
      public @Nullable String format(SyscallEvent e) {
        byte[] b = f.apply(e);
        return b == null ? null : format.apply(b);
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  static @Nullable ProcessInfo proc(SyscallEvent e) {
    ThreadInfo t = e.thread();
    return t == null ? null : t.process();
  }

  static @Nullable ProcessInfo parent(SyscallEvent e) {
    ProcessInfo p = proc(e);
    return p == null ? null : p.parent();
  }

  static @Nullable FdInfo fd(SyscallEvent e) {
    return e.fd();
  }

  /** Text of a process attribute, or null without a process. */
  static Extractor<SyscallEvent> procText(Function<ProcessInfo, @Nullable String> f) {
    return text(
        FieldType.CHARBUF,
        e -> {
          ProcessInfo p = proc(e);
          return p == null ? null : f.apply(p);
        });
  }

  static Extractor<SyscallEvent> parentText(Function<ProcessInfo, @Nullable String> f) {
    return text(
        FieldType.CHARBUF,
        e -> {
          ProcessInfo p = parent(e);
          return p == null ? null : f.apply(p);
        });
  }

  static Extractor<SyscallEvent> procNum(FieldType type, ToLongFunction<ProcessInfo> f) {
    return num(
        type, e -> proc(e) != null, e -> f.applyAsLong(java.util.Objects.requireNonNull(proc(e))));
  }

  static Extractor<SyscallEvent> fdText(Function<FdInfo, @Nullable String> f) {
    return text(
        FieldType.CHARBUF,
        e -> {
          FdInfo fd = e.fd();
          return fd == null ? null : f.apply(fd);
        });
  }
}
