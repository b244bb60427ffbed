package dev.vigil.kernel.state;

/** One thread: its id, credentials and capabilities, and the process it belongs to. */
public final class ThreadInfo {
  private final int tid;
  private final ProcessInfo process;
  private int uid;
  private int gid;
  private int loginuid = -1;
  private String userName = "";
  private String groupName = "";
  private String loginName = "";
  private long capEffective;
  private long capPermitted;
  private long capInheritable;

  public ThreadInfo(int tid, ProcessInfo process) {
    this.tid = tid;
    this.process = process;
  }

  public int tid() {
    return tid;
  }

  public ProcessInfo process() {
    return process;
  }

  public int uid() {
    return uid;
  }

  public int gid() {
    return gid;
  }

  /** The audit login uid ({@code -1} when unset). */
  public int loginuid() {
    return loginuid;
  }

  public String userName() {
    return userName;
  }

  public String groupName() {
    return groupName;
  }

  public String loginName() {
    return loginName;
  }

  public long capEffective() {
    return capEffective;
  }

  public long capPermitted() {
    return capPermitted;
  }

  public long capInheritable() {
    return capInheritable;
  }

  /** Sets credentials and the names resolved for them (from the container's passwd/group). */
  public ThreadInfo credentials(
      int uid, int gid, int loginuid, String userName, String groupName, String loginName) {
    this.uid = uid;
    this.gid = gid;
    this.loginuid = loginuid;
    this.userName = userName;
    this.groupName = groupName;
    this.loginName = loginName;
    return this;
  }

  public ThreadInfo capabilities(long effective, long permitted, long inheritable) {
    this.capEffective = effective;
    this.capPermitted = permitted;
    this.capInheritable = inheritable;
    return this;
  }
}
