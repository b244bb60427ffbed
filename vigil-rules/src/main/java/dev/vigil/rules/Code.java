package dev.vigil.rules;

/** Diagnostic codes: Falco's rules-loading error and warning codes, with its short texts. */
public enum Code {
  LOAD_ERR_FILE_READ(Severity.ERROR, "File read error"),
  LOAD_ERR_YAML_PARSE(Severity.ERROR, "YAML parse error"),
  LOAD_ERR_YAML_VALIDATE(Severity.ERROR, "Error validating internal structure of YAML file"),
  LOAD_ERR_COMPILE_CONDITION(Severity.ERROR, "Error compiling condition"),
  LOAD_ERR_COMPILE_OUTPUT(Severity.ERROR, "Error compiling output"),
  LOAD_ERR_VALIDATE(Severity.ERROR, "Error validating rule/macro/list/exception objects"),
  LOAD_ERR_EXTENSION(Severity.ERROR, "Error in extension item"),
  LOAD_UNKNOWN_SOURCE(Severity.WARNING, "Unknown event source"),
  LOAD_UNSAFE_NA_CHECK(Severity.WARNING, "Unsafe <NA> comparison in condition"),
  LOAD_NO_EVTTYPE(Severity.WARNING, "Condition has no event-type restriction"),
  LOAD_UNKNOWN_FILTER(Severity.WARNING, "Unknown field or event-type in condition or output"),
  LOAD_UNUSED_MACRO(Severity.WARNING, "Unused macro"),
  LOAD_UNUSED_LIST(Severity.WARNING, "Unused list"),
  LOAD_UNKNOWN_ITEM(Severity.WARNING, "Unknown rules file item"),
  LOAD_DEPRECATED_ITEM(Severity.WARNING, "Used deprecated item"),
  LOAD_WARNING_EXTENSION(Severity.WARNING, "Warning in extension item"),
  LOAD_APPEND_NO_VALUES(Severity.WARNING, "Overriding/appending with no values"),
  LOAD_EXCEPTION_NAME_NOT_UNIQUE(
      Severity.WARNING, "Multiple exceptions defined with the same name"),
  LOAD_INVALID_MACRO_NAME(Severity.WARNING, "Invalid macro name"),
  LOAD_INVALID_LIST_NAME(Severity.WARNING, "Invalid list name"),
  LOAD_COMPILE_CONDITION(Severity.WARNING, "Warning in rule condition"),
  LOAD_UNKNOWN_KEY(Severity.WARNING, "Unknown key in item definition");

  private final Severity severity;
  private final String text;

  Code(Severity severity, String text) {
    this.severity = severity;
    this.text = text;
  }

  public Severity severity() {
    return severity;
  }

  /** Falco's short description of the code ({@code codedesc} in its JSON). */
  public String text() {
    return text;
  }
}
