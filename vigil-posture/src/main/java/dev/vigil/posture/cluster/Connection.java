package dev.vigil.posture.cluster;

import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * Where and how to reach a cluster's API server.
 *
 * @param context the kubeconfig context it came from
 * @param server the API server's base URL (no trailing slash)
 * @param ssl trust and client identity for HTTPS
 * @param token a bearer token ("" for none)
 * @param namespace the context's namespace ({@code default} when it names none)
 */
public record Connection(
    String context, URI server, SSLContext ssl, String token, String namespace) {
  @Override
  public String toString() {
    return "Connection[" + context + " " + server + "]"; // never the token
  }
}
