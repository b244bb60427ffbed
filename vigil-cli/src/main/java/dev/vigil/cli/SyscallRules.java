package dev.vigil.cli;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.OpenFilter;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.rules.Engine;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The syscall rules of a generation bound for evaluation, the event types they need, and the opens
 * among those that they can match (the probe keeps the others in the kernel).
 */
record SyscallRules(Engine<SyscallEvent> engine, Set<String> events, OpenFilter openFilter) {

  static SyscallRules of(Engine<SyscallEvent> engine) {
    EventTypes types = SyscallSource.info().eventTypes();
    Set<String> wanted = new LinkedHashSet<>();
    BitSet codes = engine.interestingEventTypes();
    for (int c = codes.nextSetBit(0); c >= 0; c = codes.nextSetBit(c + 1)) {
      wanted.add(types.byCode(c).name());
    }
    OpenFilter filter =
        OpenFilter.forRules(engine.rules().stream().map(Engine.BoundRule::rule).toList());
    return new SyscallRules(engine, wanted, filter);
  }

  void evaluate(SyscallEvent e, AlertSink sink) {
    engine.match(e, r -> sink.accept(r.alert(e, e.timestamp())));
  }
}
