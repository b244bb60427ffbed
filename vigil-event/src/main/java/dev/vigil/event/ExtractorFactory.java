package dev.vigil.event;

/**
 * Binds resolved fields to extractors for one source's event representation.
 *
 * @param <E> the source's event type
 */
public interface ExtractorFactory<E extends Event> {
  /**
   * The extractor for a resolved field and argument, or throws {@link UnsupportedFieldException}
   * when this source can name the field but not yet extract it.
   */
  Extractor<E> extractor(FieldDef field, String argument);

  /** Thrown when a catalogued field has no extractor in this build. */
  final class UnsupportedFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFieldException(String field) {
      super("field " + field + " cannot be extracted from this source's events yet");
    }
  }
}
