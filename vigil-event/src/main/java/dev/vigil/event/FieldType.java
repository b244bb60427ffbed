package dev.vigil.event;

/**
 * The type of a field's value, with Falco's names so that catalogues and listings read the same as
 * {@code falco --list}. {@link #kind()} groups them by how the rule engine compares them.
 */
public enum FieldType {
  INT8(Kind.SIGNED),
  INT16(Kind.SIGNED),
  INT32(Kind.SIGNED),
  INT64(Kind.SIGNED),
  UINT8(Kind.UNSIGNED),
  UINT16(Kind.UNSIGNED),
  UINT32(Kind.UNSIGNED),
  UINT64(Kind.UNSIGNED),
  ERRNO(Kind.SIGNED),
  FD(Kind.SIGNED),
  PID(Kind.SIGNED),
  UID(Kind.UNSIGNED),
  GID(Kind.UNSIGNED),
  PORT(Kind.UNSIGNED),
  L4PROTO(Kind.UNSIGNED),
  SYSCALLID(Kind.UNSIGNED),
  SIGTYPE(Kind.UNSIGNED),
  MODE(Kind.UNSIGNED),
  FLAGS8(Kind.UNSIGNED),
  FLAGS16(Kind.UNSIGNED),
  FLAGS32(Kind.UNSIGNED),
  ENUMFLAGS8(Kind.UNSIGNED),
  ENUMFLAGS16(Kind.UNSIGNED),
  ENUMFLAGS32(Kind.UNSIGNED),
  SIGSET(Kind.UNSIGNED),
  /** Nanoseconds of duration. */
  RELTIME(Kind.UNSIGNED),
  /** Nanoseconds since the epoch. */
  ABSTIME(Kind.UNSIGNED),
  DOUBLE(Kind.DOUBLE),
  BOOL(Kind.BOOL),
  CHARBUF(Kind.STRING),
  FSPATH(Kind.STRING),
  FSRELPATH(Kind.STRING),
  BYTEBUF(Kind.BYTES),
  SOCKADDR(Kind.NET),
  SOCKTUPLE(Kind.NET),
  FDLIST(Kind.BYTES),
  IPV4ADDR(Kind.IPADDR),
  IPV6ADDR(Kind.IPADDR),
  IPADDR(Kind.IPADDR),
  IPV4NET(Kind.IPNET),
  IPV6NET(Kind.IPNET),
  IPNET(Kind.IPNET),
  /** Type depends on the event (Falco's {@code evt.rawarg}). Compared as a string. */
  DYNAMIC(Kind.STRING);

  /** How values of a type are compared. */
  public enum Kind {
    SIGNED,
    UNSIGNED,
    DOUBLE,
    BOOL,
    STRING,
    BYTES,
    IPADDR,
    IPNET,
    NET
  }

  private final Kind kind;

  FieldType(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** True for the integer kinds (signed and unsigned). */
  public boolean isInteger() {
    return kind == Kind.SIGNED || kind == Kind.UNSIGNED;
  }

  /** True when values are numbers (integers or doubles), compared numerically by {@code <} etc. */
  public boolean isNumeric() {
    return isInteger() || kind == Kind.DOUBLE;
  }
}
