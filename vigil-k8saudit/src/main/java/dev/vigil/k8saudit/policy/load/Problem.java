package dev.vigil.k8saudit.policy.load;

import dev.vigil.k8saudit.policy.load.PolicyDecoder.TypeError;
import dev.vigil.k8saudit.policy.load.YamlReader.Duplicate;

/** Something loading found, with its position: what the linter turns into findings. */
public sealed interface Problem {
  SourcePos pos();

  /** The file is not YAML go-yaml can read (fatal). */
  record Yaml(String message, SourcePos pos) implements Problem {}

  /** The document is not a mapping (fatal). */
  record NotAnObject(String jsonType, SourcePos pos) implements Problem {}

  /** A value of the wrong type (fatal). */
  record WrongType(TypeError error) implements Problem {
    @Override
    public SourcePos pos() {
      return error.pos();
    }
  }

  /** apiVersion/kind is not {@code audit.k8s.io/v1} {@code Policy} (fatal). */
  record WrongVersion(String apiVersion, String kind, SourcePos pos) implements Problem {}

  /** An unknown key (a warning from 1.26; dropped either way). */
  record Unknown(UnknownField field) implements Problem {
    @Override
    public SourcePos pos() {
      return field.pos();
    }
  }

  /** A duplicate key (a warning from 1.26; the last value is kept). */
  record DuplicateKey(Duplicate duplicate) implements Problem {
    @Override
    public SourcePos pos() {
      return duplicate.keyPos();
    }
  }

  /** A validation error (fatal). */
  record Invalid(FieldError error) implements Problem {
    @Override
    public SourcePos pos() {
      return error.pos();
    }
  }

  /** The policy has no rules (fatal). */
  record NoRules(SourcePos pos) implements Problem {}

  /** The file has more than one YAML document; only the first is read. */
  record ExtraDocuments(int documents, SourcePos pos) implements Problem {}
}
