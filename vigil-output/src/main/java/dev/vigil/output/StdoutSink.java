package dev.vigil.output;

import java.io.PrintWriter;
import java.util.List;

/** Falco's {@code stdout_output}: one line per alert, flushed per batch unless buffered. */
final class StdoutSink implements Sink {
  private final PrintWriter out;
  private final boolean buffered;

  StdoutSink(PrintWriter out, boolean buffered) {
    this.out = out;
    this.buffered = buffered;
  }

  @Override
  public void deliver(List<Outgoing> batch) throws DeliveryException {
    for (Outgoing o : batch) {
      out.write(o.line());
      out.write('\n');
    }
    if (!buffered && out.checkError()) {
      throw new DeliveryException("cannot write to standard output", 0, false);
    }
  }

  @Override
  public void close() {
    out.flush();
  }
}
