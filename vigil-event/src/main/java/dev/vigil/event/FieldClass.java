package dev.vigil.event;

import java.util.List;

/**
 * A group of related fields ({@code proc}, {@code fd}, {@code ka}...), as catalogues list them.
 *
 * @param id short identifier
 * @param title human title
 * @param description what the fields of the class describe
 * @param fields the fields, in catalogue order
 */
public record FieldClass(String id, String title, String description, List<FieldDef> fields) {
  public FieldClass {
    fields = List.copyOf(fields);
  }
}
