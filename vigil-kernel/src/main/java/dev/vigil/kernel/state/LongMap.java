package dev.vigil.kernel.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An open-addressing hash map from {@code long} keys to values, without boxing: thread tables look
 * up every event's thread, so keys must not allocate.
 */
public final class LongMap<V> {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys;
  private @Nullable Object[] values;
  private int size;

  public LongMap() {
    this(64);
  }

  public LongMap(int capacity) {
    int cap = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1);
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new Object[cap];
  }

  private static int hash(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  @SuppressWarnings("unchecked")
  public @Nullable V get(long key) {
    int mask = keys.length - 1;
    for (int i = hash(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return (V) values[i];
      }
      if (k == EMPTY) {
        return null;
      }
    }
  }

  public void put(long key, V value) {
    if (key == EMPTY) {
      throw new IllegalArgumentException("reserved key");
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = hash(key, mask); ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      if (keys[i] == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  /** Removes a key (backward-shift deletion keeps probe chains intact). */
  public void remove(long key) {
    int mask = keys.length - 1;
    int i = hash(key, mask);
    while (keys[i] != key) {
      if (keys[i] == EMPTY) {
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = EMPTY;
    values[i] = null;
    size--;
    for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
      long k = keys[j];
      Object v = java.util.Objects.requireNonNull(values[j]);
      keys[j] = EMPTY;
      values[j] = null;
      size--;
      @SuppressWarnings("unchecked")
      V value = (V) v;
      put(k, value);
    }
  }

  public int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  public List<V> values() {
    List<V> out = new ArrayList<>(size);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        out.add((V) values[i]);
      }
    }
    return out;
  }

  private void grow() {
    long[] oldKeys = keys;
    @Nullable Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new Object[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        @SuppressWarnings("unchecked")
        V v = (V) java.util.Objects.requireNonNull(oldValues[i]);
        put(oldKeys[i], v);
      }
    }
  }
}
