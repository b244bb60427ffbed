package dev.vigil.kernel.fields;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.FdInfo;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@code fd.*}: the file descriptor the event uses or creates. */
final class FdFields {
  private FdFields() {}

  static @Nullable Extractor<SyscallEvent> of(String name) {
    return switch (name) {
      case "fd.num" -> X.num(FieldType.INT64, e -> e.fd() != null, e -> fd(e).num());
      case "fd.type" -> X.fdText(f -> f.kind().label());
      case "fd.typechar" -> X.fdText(f -> f.kind().letterText());
      case "fd.name" -> X.fdText(FdInfo::name);
      case "fd.nameraw" -> X.fdText(FdInfo::nameRaw);
      case "fd.directory" ->
          X.fdText(f ->
              f.kind() == FdInfo.Kind.FILE || f.kind() == FdInfo.Kind.DIRECTORY
                  ? f.directory()
                  : null);
      case "fd.filename" -> X.fdText(f -> f.kind() == FdInfo.Kind.FILE ? f.filename() : null);
      case "fd.name_changed" -> X.bool(e -> e.fd() != null, e -> fd(e).nameChanged());
      case "fd.connected" -> X.bool(e -> sock(e) != null, e -> fd(e).connected());
      case "fd.is_server" -> X.bool(e -> sock(e) != null, e -> fd(e).server());
      case "fd.l4proto" -> X.fdText(f -> f.isSocket() ? f.l4proto() : null);
      case "fd.sockfamily" ->
          X.fdText(f -> f.isSocket() ? "ip" : f.kind() == FdInfo.Kind.UNIX ? "unix" : null);
      case "fd.cip" -> ip(f -> f.clientIp());
      case "fd.sip" -> ip(f -> f.serverIp());
      case "fd.lip" -> ip(f -> f.server() ? f.serverIp() : f.clientIp());
      case "fd.rip" -> ip(f -> f.server() ? f.clientIp() : f.serverIp());
      case "fd.cnet" -> net(f -> f.clientIp());
      case "fd.snet" -> net(f -> f.serverIp());
      case "fd.lnet" -> net(f -> f.server() ? f.serverIp() : f.clientIp());
      case "fd.rnet" -> net(f -> f.server() ? f.clientIp() : f.serverIp());
      case "fd.ip" -> bothIps(FieldType.IPADDR);
      case "fd.net" -> bothIps(FieldType.IPNET);
      case "fd.cport" -> port(FdInfo::clientPort);
      case "fd.sport" -> port(FdInfo::serverPort);
      case "fd.lport" -> port(f -> f.server() ? f.serverPort() : f.clientPort());
      case "fd.rport" -> port(f -> f.server() ? f.clientPort() : f.serverPort());
      case "fd.port" ->
          X.list(
              FieldType.PORT,
              e -> {
                FdInfo f = sock(e);
                return f == null
                    ? null
                    : List.of(Integer.toString(f.clientPort()), Integer.toString(f.serverPort()));
              });
      case "fd.cip.name", "fd.sip.name", "fd.lip.name", "fd.rip.name" ->
          // Vigil does not resolve peer names yet: these fields have no value.
          X.text(FieldType.CHARBUF, e -> null);
      case "fd.dev" -> X.num(FieldType.UINT32, e -> e.fd() != null, e -> fd(e).dev());
      case "fd.ino" -> X.num(FieldType.INT64, e -> e.fd() != null, e -> fd(e).ino());
      case "fd.is_upper_layer" -> X.bool(e -> e.fd() != null, e -> fd(e).upperLayer());
      default -> null;
    };
  }

  private static FdInfo fd(SyscallEvent e) {
    return java.util.Objects.requireNonNull(e.fd());
  }

  private static @Nullable FdInfo sock(SyscallEvent e) {
    FdInfo f = e.fd();
    return f != null && f.isSocket() ? f : null;
  }

  private static Extractor<SyscallEvent> ip(Function<FdInfo, byte @Nullable []> f) {
    return X.bytes(
        FieldType.IPADDR,
        e -> {
          FdInfo s = sock(e);
          return s == null ? null : f.apply(s);
        },
        Render::ip);
  }

  private static Extractor<SyscallEvent> net(Function<FdInfo, byte @Nullable []> f) {
    return X.bytes(
        FieldType.IPNET,
        e -> {
          FdInfo s = sock(e);
          return s == null ? null : f.apply(s);
        },
        Render::ip);
  }

  /** {@code fd.ip}/{@code fd.net}: either end of the connection. */
  private static Extractor<SyscallEvent> bothIps(FieldType type) {
    return new Extractor.OfBytesList<>() {
      @Override
      public @Nullable List<byte[]> values(SyscallEvent e) {
        FdInfo s = sock(e);
        return s == null ? null : s.ends();
      }

      @Override
      public String render(byte[] value) {
        return Render.ip(value);
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  private static Extractor<SyscallEvent> port(java.util.function.ToIntFunction<FdInfo> f) {
    return X.num(FieldType.PORT, e -> sock(e) != null, e -> f.applyAsInt(fd(e)));
  }
}
