package dev.vigil.cli;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.rules.Engine;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** The syscall rules of a generation bound for evaluation, and the event types they need. */
record SyscallRules(Engine<SyscallEvent> engine, Set<String> events) {

  static SyscallRules of(Engine<SyscallEvent> engine) {
    EventTypes types = SyscallSource.info().eventTypes();
    Set<String> wanted = new LinkedHashSet<>();
    BitSet codes = engine.interestingEventTypes();
    for (int c = codes.nextSetBit(0); c >= 0; c = codes.nextSetBit(c + 1)) {
      wanted.add(types.byCode(c).name());
    }
    return new SyscallRules(engine, wanted);
  }

  void evaluate(SyscallEvent e, AlertSink sink) {
    engine.match(e, r -> sink.accept(r.alert(e, e.timestamp())));
  }
}
