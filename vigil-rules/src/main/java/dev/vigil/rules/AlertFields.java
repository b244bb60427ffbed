package dev.vigil.rules;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fields of an alert as an immutable map in output order: the names are shared by every alert
 * of a rule, only the values are per alert. An alert waits in up to one queue per output, so this
 * keeps the memory a queued alert holds to its values (a copied {@code LinkedHashMap} costs about
 * 40 bytes per entry more, plus its table).
 */
public final class AlertFields extends AbstractMap<String, AlertValue> {
  private final String[] names;
  private final AlertValue[] values;

  private AlertFields(String[] names, AlertValue[] values) {
    this.names = names;
    this.values = values;
  }

  /** The field names of a rule's alerts, in order and without repetition. */
  public static final class Names {
    private final String[] names;

    private Names(String[] names) {
      this.names = names;
    }

    /** Fails on a repeated name: the caller folds repetitions into one position. */
    public static Names of(List<String> names) {
      String[] a = names.toArray(String[]::new);
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < i; j++) {
          if (a[i].equals(a[j])) {
            throw new IllegalArgumentException("repeated field name " + a[i]);
          }
        }
      }
      return new Names(a);
    }

    public int size() {
      return names.length;
    }

    /**
     * The fields with these names and {@code values} (one per name, none missing; the array is
     * taken over, not copied).
     */
    public AlertFields with(AlertValue[] values) {
      if (values.length != names.length) {
        throw new IllegalArgumentException(
            values.length + " values for " + names.length + " names");
      }
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          throw new IllegalArgumentException("no value for " + names[i]);
        }
      }
      return new AlertFields(names, values);
    }
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public @Nullable AlertValue get(@Nullable Object key) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) {
        return values[i];
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return get(key) != null;
  }

  @Override
  public Set<Entry<String, AlertValue>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Entry<String, AlertValue>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < names.length;
          }

          @Override
          public Entry<String, AlertValue> next() {
            if (i >= names.length) {
              throw new NoSuchElementException();
            }
            Entry<String, AlertValue> e = Map.entry(names[i], values[i]);
            i++;
            return e;
          }
        };
      }
    };
  }
}
