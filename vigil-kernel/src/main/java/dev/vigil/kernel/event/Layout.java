package dev.vigil.kernel.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The binary layout of one syscall event record, as the probe writes it into the ring buffer and
 * capture files store it. All integers are little-endian.
 *
 * <pre>
 * offset size
 *      0    4  total record length in bytes (header + length table + data)
 *      4    2  event type: the code in the syscall event table
 *      6    2  number of parameters N
 *      8    8  timestamp, nanoseconds since the epoch
 *     16    4  thread id (kernel pid of the thread)
 *     20    4  process id (thread group id)
 *     24    8  return value (signed)
 *     32  2*N  length of each parameter in bytes
 *  32+2N   ..  parameter data, in order, without padding
 * </pre>
 *
 * Parameters follow the event's parameter list in the event table. Numbers are stored at their
 * natural width (1, 2, 4 or 8 bytes); strings as UTF-8 bytes without a terminator; an empty
 * parameter (length 0) means "not available".
 */
public final class Layout {
  public static final int LENGTH = 0;
  public static final int TYPE = 4;
  public static final int NPARAMS = 6;
  public static final int TIMESTAMP = 8;
  public static final int TID = 16;
  public static final int PID = 20;
  public static final int RET = 24;
  public static final int HEADER = 32;

  static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Layout() {}
}
