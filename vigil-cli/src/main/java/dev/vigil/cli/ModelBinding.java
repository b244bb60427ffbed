package dev.vigil.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;

/**
 * How {@link CommandModel} binds an option to a command's field: a getter and setter written out
 * for the field, without reflection.
 */
abstract class ModelBinding implements IGetter, ISetter {
  abstract @Nullable Object read();

  abstract void write(@Nullable Object value);

  @Override
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  public <T> @Nullable T get() {
    return (T) read();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T set(T value) {
    @Nullable T old = (T) read();
    write(value);
    return old;
  }

  /** Where picocli's standard help options ({@code --help}, {@code --version}) keep their value. */
  static final class Flag extends ModelBinding {
    private @Nullable Object value = false;

    @Override
    @Nullable Object read() {
      return value;
    }

    @Override
    void write(@Nullable Object value) {
      this.value = value;
    }
  }
}
