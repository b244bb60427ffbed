package dev.vigil.posture.manifest;

import java.util.Optional;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Stops snakeyaml-engine at a nesting depth: its composer recurses once per level (a stack overflow
 * on hostile input), and its scanner does work proportional to the flow depth for every token, so
 * that a line of a million {@code [} takes minutes. Counting the collections the parser opens stops
 * both early, at the collection that goes too deep.
 */
final class DepthLimit implements Parser {
  /** Nested too deeply; {@code at} is where the collection that goes too deep starts. */
  static final class TooDeep extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Optional<Mark> at;

    TooDeep(Optional<Mark> at) {
      super(null, null, false, false);
      this.at = at;
    }
  }

  private final Parser parser;
  private final int max;
  private int depth;

  DepthLimit(Parser parser, int max) {
    this.parser = parser;
    this.max = max;
  }

  @Override
  public boolean checkEvent(Event.ID id) {
    return parser.checkEvent(id);
  }

  @Override
  public Event peekEvent() {
    return parser.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return parser.hasNext();
  }

  @Override
  public Event next() {
    Event e = parser.next();
    switch (e.getEventId()) {
      case SequenceStart, MappingStart -> {
        if (++depth > max) {
          throw new TooDeep(e.getStartMark());
        }
      }
      case SequenceEnd, MappingEnd -> depth--;
      default -> {}
    }
    return e;
  }
}
