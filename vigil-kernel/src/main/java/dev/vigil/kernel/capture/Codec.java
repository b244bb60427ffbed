package dev.vigil.kernel.capture;

import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import dev.vigil.kernel.state.Users;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binary encoding of the state records (containers, user databases, processes, threads). */
final class Codec {
  private Codec() {}

  /** A little-endian byte sink. */
  static final class Out {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream(256);

    Out u8(int v) {
      b.write(v);
      return this;
    }

    Out u32(long v) {
      for (int i = 0; i < 4; i++) {
        b.write((int) (v >>> (8 * i)));
      }
      return this;
    }

    Out u64(long v) {
      for (int i = 0; i < 8; i++) {
        b.write((int) (v >>> (8 * i)));
      }
      return this;
    }

    Out bool(boolean v) {
      return u8(v ? 1 : 0);
    }

    Out str(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      u32(bytes.length);
      b.write(bytes, 0, bytes.length);
      return this;
    }

    Out bytes(byte[] v) {
      u32(v.length);
      b.write(v, 0, v.length);
      return this;
    }

    Out strs(List<String> l) {
      u32(l.size());
      l.forEach(this::str);
      return this;
    }

    byte[] toBytes() {
      return b.toByteArray();
    }
  }

  /** A bounds-checked little-endian reader over one record's payload. */
  static final class In {
    private final byte[] b;
    private int at;
    private final int end;
    private final long base;

    In(byte[] b, int from, int length, long fileOffset) {
      this.b = b;
      this.at = from;
      this.end = from + length;
      this.base = fileOffset - from;
    }

    private void need(int n) throws CaptureFormatException {
      if (n < 0 || at + n > end) {
        throw new CaptureFormatException(base + at, "record ends early");
      }
    }

    int u8() throws CaptureFormatException {
      need(1);
      return b[at++] & 0xff;
    }

    long u32() throws CaptureFormatException {
      need(4);
      long v = 0;
      for (int i = 0; i < 4; i++) {
        v |= (long) (b[at++] & 0xff) << (8 * i);
      }
      return v;
    }

    long u64() throws CaptureFormatException {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (long) (b[at++] & 0xff) << (8 * i);
      }
      return v;
    }

    int i32() throws CaptureFormatException {
      return (int) u32();
    }

    boolean bool() throws CaptureFormatException {
      return u8() != 0;
    }

    int count() throws CaptureFormatException {
      long n = u32();
      if (n > CaptureFormat.MAX_ITEMS) {
        throw new CaptureFormatException(base + at, "list of " + n + " items is too long");
      }
      return (int) n;
    }

    String str() throws CaptureFormatException {
      long n = u32();
      if (n > CaptureFormat.MAX_STRING) {
        throw new CaptureFormatException(base + at, "string of " + n + " bytes is too long");
      }
      need((int) n);
      String s = new String(b, at, (int) n, StandardCharsets.UTF_8);
      at += (int) n;
      return s;
    }

    byte[] bytes() throws CaptureFormatException {
      long n = u32();
      if (n > CaptureFormat.MAX_STRING) {
        throw new CaptureFormatException(base + at, "field of " + n + " bytes is too long");
      }
      need((int) n);
      byte[] out = new byte[(int) n];
      System.arraycopy(b, at, out, 0, (int) n);
      at += (int) n;
      return out;
    }

    List<String> strs() throws CaptureFormatException {
      int n = count();
      List<String> out = new ArrayList<>(Math.min(n, 1024));
      for (int i = 0; i < n; i++) {
        out.add(str());
      }
      return out;
    }

    boolean done() {
      return at == end;
    }

    long offset() {
      return base + at;
    }
  }

  // ---- containers and users
  // ----------------------------------------------------------------------

  static void container(Out o, ContainerInfo c) {
    o.str(c.id()).str(c.name()).str(c.imageRepository()).str(c.imageTag());
    o.bool(c.privileged()).bool(c.hostNetwork()).bool(c.hostPid()).u64(c.startTs());
    o.str(c.podName()).str(c.namespace());
    o.u32(c.mounts().size());
    for (ContainerInfo.Mount m : c.mounts()) {
      o.str(m.source()).str(m.dest()).str(m.mode()).bool(m.rdwr()).str(m.propagation());
    }
    o.u32(c.labels().size());
    c.labels().forEach((k, v) -> o.str(k).str(v));
  }

  static ContainerInfo container(In in) throws CaptureFormatException {
    String id = in.str();
    String name = in.str();
    String repo = in.str();
    String tag = in.str();
    boolean privileged = in.bool();
    boolean hostNetwork = in.bool();
    boolean hostPid = in.bool();
    long start = in.u64();
    String pod = in.str();
    String ns = in.str();
    int nm = in.count();
    List<ContainerInfo.Mount> mounts = new ArrayList<>();
    for (int i = 0; i < nm; i++) {
      mounts.add(new ContainerInfo.Mount(in.str(), in.str(), in.str(), in.bool(), in.str()));
    }
    int nl = in.count();
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < nl; i++) {
      labels.put(in.str(), in.str());
    }
    if (id.equals(ContainerInfo.HOST.id())) {
      return ContainerInfo.HOST;
    }
    return new ContainerInfo(
        id, name, repo, tag, privileged, hostNetwork, hostPid, start, pod, ns, mounts, labels);
  }

  static void users(Out o, String containerId, Users.Db db) {
    o.str(containerId);
    names(o, db.users());
    names(o, db.groups());
  }

  private static void names(Out o, Map<Integer, String> m) {
    o.u32(m.size());
    m.forEach((k, v) -> o.u32(k).str(v));
  }

  private static Map<Integer, String> names(In in) throws CaptureFormatException {
    int n = in.count();
    Map<Integer, String> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(in.i32(), in.str());
    }
    return m;
  }

  record UsersRecord(String containerId, Users.Db db) {}

  static UsersRecord users(In in) throws CaptureFormatException {
    String id = in.str();
    return new UsersRecord(id, new Users.Db(names(in), names(in)));
  }

  // ---- processes and threads
  // ----------------------------------------------------------------------

  static void process(Out o, ProcessInfo p) {
    o.u32(p.pid()).u32(p.ppid()).u32(p.sid()).u32(p.vpid()).u32(p.vpgid()).u32(p.tty());
    o.str(p.comm()).str(p.exe()).str(p.exepath()).strs(p.args()).strs(p.env()).str(p.cwd());
    o.u64(p.startTs()).u64(p.exeIno()).u64(p.exeInoCtime()).u64(p.exeInoMtime());
    o.bool(p.exeUpperLayer()).bool(p.exeFromMemfd()).bool(p.exeWritable());
    container(o, p.container());
    List<FdInfo> fds = p.fds().values();
    o.u32(fds.size());
    for (FdInfo f : fds) {
      fd(o, f);
    }
  }

  static ProcessInfo process(In in) throws CaptureFormatException {
    int pid = in.i32();
    int ppid = in.i32();
    int sid = in.i32();
    int vpid = in.i32();
    int vpgid = in.i32();
    int tty = in.i32();
    ProcessInfo p = new ProcessInfo(pid).identity(ppid, sid, vpid, vpgid, tty);
    String comm = in.str();
    String exe = in.str();
    String exepath = in.str();
    List<String> args = in.strs();
    List<String> env = in.strs();
    p.exec(comm, exe, exepath, args, env).cwd(in.str()).startTs(in.u64());
    p.executable(in.u64(), in.u64(), in.u64(), in.bool(), in.bool(), in.bool());
    p.container(container(in));
    int n = in.count();
    for (int i = 0; i < n; i++) {
      FdInfo f = fd(in);
      p.fds().put(f.num(), f);
    }
    return p;
  }

  private static void fd(Out o, FdInfo f) {
    o.u32(f.num()).str(f.kind().name()).str(f.name()).str(f.nameRaw());
    o.u32(f.openFlags()).bool(f.nameChanged()).bool(f.created()).bool(f.upperLayer());
    o.u64(f.dev()).u64(f.ino());
    byte[] cip = f.clientIp();
    byte[] sip = f.serverIp();
    o.bool(cip != null && sip != null);
    if (cip != null && sip != null) {
      o.bytes(cip).u32(f.clientPort()).bytes(sip).u32(f.serverPort()).str(f.l4proto());
      o.bool(f.connected()).bool(f.server());
    }
  }

  private static FdInfo fd(In in) throws CaptureFormatException {
    int num = in.i32();
    String kindName = in.str();
    FdInfo.Kind kind;
    try {
      kind = FdInfo.Kind.valueOf(kindName);
    } catch (IllegalArgumentException e) {
      throw new CaptureFormatException(in.offset(), "unknown fd kind " + kindName);
    }
    FdInfo f = new FdInfo(num, kind, in.str(), in.str());
    f.openFlags(in.i32());
    f.nameChanged(in.bool());
    f.created(in.bool());
    f.upperLayer(in.bool());
    f.inode(in.u64(), in.u64());
    if (in.bool()) {
      byte[] cip = in.bytes();
      int cport = in.i32();
      byte[] sip = in.bytes();
      int sport = in.i32();
      String proto = in.str();
      f.tuple(cip, cport, sip, sport, proto, in.bool(), in.bool());
    }
    return f;
  }

  static void thread(Out o, ThreadInfo t) {
    o.u32(t.tid()).u32(t.process().pid());
    o.u32(t.uid()).u32(t.gid()).u32(t.loginuid());
    o.str(t.userName()).str(t.groupName()).str(t.loginName());
    o.u64(t.capEffective()).u64(t.capPermitted()).u64(t.capInheritable());
  }

  /** A thread of a process already read ({@code processes} by pid). */
  static ThreadInfo thread(In in, Map<Integer, ProcessInfo> processes)
      throws CaptureFormatException {
    int tid = in.i32();
    int pid = in.i32();
    ProcessInfo p = processes.get(pid);
    if (p == null) {
      throw new CaptureFormatException(in.offset(), "thread " + tid + " of unknown process " + pid);
    }
    ThreadInfo t = new ThreadInfo(tid, p);
    int uid = in.i32();
    int gid = in.i32();
    int loginuid = in.i32();
    t.credentials(uid, gid, loginuid, in.str(), in.str(), in.str());
    t.capabilities(in.u64(), in.u64(), in.u64());
    return t;
  }
}
