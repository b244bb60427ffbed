package dev.vigil.kernel.state;

import org.jspecify.annotations.Nullable;

/**
 * An open file descriptor (or, for a failed open, the file it named): what it refers to and, for
 * sockets, the connection tuple. Its name-derived strings are computed once.
 */
public final class FdInfo {

  /** Falco's fd type letters. */
  public enum Kind {
    FILE('f', "file"),
    DIRECTORY('d', "directory"),
    IPV4('4', "ipv4"),
    IPV6('6', "ipv6"),
    UNIX('u', "unix"),
    PIPE('p', "pipe"),
    EVENT('e', "event"),
    SIGNALFD('s', "signalfd"),
    EVENTPOLL('l', "eventpoll"),
    INOTIFY('i', "inotify"),
    TIMERFD('t', "timerfd"),
    NETLINK('n', "netlink"),
    BPF('b', "bpf"),
    USERFAULTFD('u', "userfaultfd"),
    IOURING('r', "io_uring"),
    MEMFD('m', "memfd"),
    PIDFD('P', "pidfd"),
    OTHER('o', "other");

    private final char letter;
    private final String letterText;
    private final String label;

    Kind(char letter, String label) {
      this.letter = letter;
      this.letterText = String.valueOf(letter);
      this.label = label;
    }

    public char letter() {
      return letter;
    }

    /** The letter as a string ({@code fd.typechar}), without allocating. */
    public String letterText() {
      return letterText;
    }

    public String label() {
      return label;
    }
  }

  private final int num;
  private final Kind kind;
  private final String name;
  private final String nameRaw;
  private int openFlags;
  private boolean nameChanged;
  private boolean created;
  private boolean upperLayer;
  private long dev;
  private long ino;
  private byte @Nullable [] clientIp;
  private byte @Nullable [] serverIp;
  private int clientPort;
  private int serverPort;
  private String l4proto = "";
  private boolean connected;
  private boolean server;
  private java.util.List<byte[]> ends = java.util.List.of();
  private @Nullable String directory;
  private @Nullable String filename;

  public FdInfo(int num, Kind kind, String name, String nameRaw) {
    this.num = num;
    this.kind = kind;
    this.name = name;
    this.nameRaw = nameRaw;
  }

  public int num() {
    return num;
  }

  /** The same open file under another descriptor number (dup, fcntl F_DUPFD, fork). */
  public FdInfo withNum(int newNum) {
    FdInfo c = new FdInfo(newNum, kind, name, nameRaw);
    c.openFlags = openFlags;
    c.nameChanged = nameChanged;
    c.created = created;
    c.upperLayer = upperLayer;
    c.dev = dev;
    c.ino = ino;
    c.clientIp = clientIp;
    c.serverIp = serverIp;
    c.clientPort = clientPort;
    c.serverPort = serverPort;
    c.l4proto = l4proto;
    c.connected = connected;
    c.server = server;
    c.ends = ends;
    return c;
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public String nameRaw() {
    return nameRaw;
  }

  /** The directory part of a file name ({@code fd.directory}); the name itself for a directory. */
  public String directory() {
    String d = directory;
    if (d == null) {
      if (kind == Kind.DIRECTORY) {
        d = name;
      } else {
        int slash = name.lastIndexOf('/');
        d = slash < 0 ? "" : slash == 0 ? "/" : name.substring(0, slash);
      }
      directory = d;
    }
    return d;
  }

  /** The last path component ({@code fd.filename}). */
  public String filename() {
    String f = filename;
    if (f == null) {
      int slash = name.lastIndexOf('/');
      f = kind == Kind.DIRECTORY ? "" : slash < 0 ? name : name.substring(slash + 1);
      filename = f;
    }
    return f;
  }

  public int openFlags() {
    return openFlags;
  }

  public FdInfo openFlags(int flags) {
    this.openFlags = flags;
    return this;
  }

  public boolean nameChanged() {
    return nameChanged;
  }

  public FdInfo nameChanged(boolean v) {
    this.nameChanged = v;
    return this;
  }

  public boolean created() {
    return created;
  }

  public FdInfo created(boolean v) {
    this.created = v;
    return this;
  }

  public boolean upperLayer() {
    return upperLayer;
  }

  public FdInfo upperLayer(boolean v) {
    this.upperLayer = v;
    return this;
  }

  public long dev() {
    return dev;
  }

  public long ino() {
    return ino;
  }

  public FdInfo inode(long dev, long ino) {
    this.dev = dev;
    this.ino = ino;
    return this;
  }

  public boolean isSocket() {
    return kind == Kind.IPV4 || kind == Kind.IPV6;
  }

  public byte @Nullable [] clientIp() {
    return clientIp;
  }

  public byte @Nullable [] serverIp() {
    return serverIp;
  }

  public int clientPort() {
    return clientPort;
  }

  public int serverPort() {
    return serverPort;
  }

  public String l4proto() {
    return l4proto;
  }

  public boolean connected() {
    return connected;
  }

  /** True when this side is the server (accepted connection or listening socket). */
  public boolean server() {
    return server;
  }

  /** Sets the connection tuple of a socket. */
  public FdInfo tuple(
      byte[] clientIp,
      int clientPort,
      byte[] serverIp,
      int serverPort,
      String l4proto,
      boolean connected,
      boolean server) {
    this.clientIp = clientIp.clone();
    this.clientPort = clientPort;
    this.serverIp = serverIp.clone();
    this.serverPort = serverPort;
    this.l4proto = l4proto;
    this.connected = connected;
    this.server = server;
    this.ends = java.util.List.of(this.clientIp, this.serverIp);
    return this;
  }

  /** Both addresses of a socket, client first ({@code fd.ip}); empty for other kinds. */
  public java.util.List<byte[]> ends() {
    return ends;
  }
}
