package dev.vigil.k8saudit.fields;

import dev.vigil.k8saudit.event.Key;
import dev.vigil.k8saudit.fields.K8sAuditFields.ListFn;
import java.util.ArrayList;
import java.util.List;

/** The subjects of a (cluster) role binding in the request, by kind. */
final class Subjects {
  private Subjects() {}

  private static final byte[][] SUBJECTS = Paths.keys("subjects");
  private static final byte[][] KIND = Paths.keys("kind");
  private static final byte[][] NAME = Paths.keys("name");
  private static final byte[][] NAMESPACE = Paths.keys("namespace");

  static ListFn names(String kind, boolean withNamespace) {
    return e -> {
      int arr = Paths.get(e, e.top(Key.REQUEST_OBJECT), SUBJECTS);
      if (!e.isArray(arr)) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (int s = e.firstElement(arr); s >= 0; s = e.nextElement(s)) {
        if (!kind.equals(e.text(Paths.get(e, s, KIND)))) {
          continue;
        }
        String name = e.text(Paths.get(e, s, NAME));
        if (name == null) {
          continue;
        }
        if (withNamespace) {
          String ns = e.text(Paths.get(e, s, NAMESPACE));
          out.add((ns == null ? "" : ns) + ":" + name);
        } else {
          out.add(name);
        }
      }
      return out;
    };
  }
}
