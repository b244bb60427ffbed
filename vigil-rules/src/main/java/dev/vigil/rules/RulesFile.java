package dev.vigil.rules;

/**
 * A rules file's content and the name diagnostics use for it.
 *
 * @param name the path as the user gave it (or a synthetic name)
 * @param content the file's text
 */
public record RulesFile(String name, String content) {}
