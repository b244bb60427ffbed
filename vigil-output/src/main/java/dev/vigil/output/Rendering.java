package dev.vigil.output;

/**
 * How alerts are rendered for every output: Falco's format options, whether lines are JSON ({@code
 * json_output}) and the host name alerts carry.
 */
public record Rendering(FalcoFormat.Options format, boolean json, String hostname) {
  public static Rendering defaults(String hostname) {
    return new Rendering(FalcoFormat.Options.defaults(), false, hostname);
  }
}
