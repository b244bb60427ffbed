package dev.vigil.k8saudit.policy.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner reads eight bytes at a time and may look past the limit it is given (never past the
 * array): whatever lies there must not change the result.
 */
class EventScannerTest {
  private static final String EVENT =
      "{\"kind\":\"Event\",\"verb\":\"get\",\"requestURI\":\"/api/v1/namespaces/default/pods/"
          + "web-0123456789\",\"user\":{\"username\":\"alice@example.com\",\"groups\":[\"dev\"]},"
          + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}";

  /** Every cut of the event, with the rest of it (quotes included) left in the array. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void bytesPastTheLimitAreIgnored(boolean lineMode) {
    byte[] b = (EVENT + "        ").getBytes(StandardCharsets.US_ASCII);
    int whole = EVENT.length();
    EventScanner sc = new EventScanner();
    sc.lineMode = lineMode;
    assertThat(sc.scan(b, 0, whole)).isEqualTo(whole);
    assertThat(sc.string(EventScanner.VERB, new StringCache())).isEqualTo("get");
    for (int cut = 1; cut < whole; cut++) {
      assertThat(sc.scan(b, 0, cut)).as("cut at %d", cut).isEqualTo(-1);
      assertThat(sc.error).as("cut at %d", cut).contains("truncated");
      assertThat(sc.errorAt).as("cut at %d", cut).isLessThanOrEqualTo(cut);
    }
  }

  /** A string that ends exactly at the end of the array (no room for a whole word). */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 7, 8, 9, 15})
  void stringsAtTheEndOfTheArray(int padding) {
    String json = "{\"verb\":\"" + "x".repeat(padding) + "\"}";
    byte[] b = json.getBytes(StandardCharsets.US_ASCII);
    EventScanner sc = new EventScanner();
    assertThat(sc.scan(b, 0, b.length)).isEqualTo(b.length);
    assertThat(sc.string(EventScanner.VERB, new StringCache())).isEqualTo("x".repeat(padding));
  }

  /**
   * A string cut short where the array ends (a document without a final line break), whatever its
   * length modulo eight: reported as truncated, at the end.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 8, 9, 16, 23})
  void stringsCutAtTheEndOfTheArray(int length) {
    String json = "{\"verb\":\"" + "x".repeat(length);
    byte[] b = json.getBytes(StandardCharsets.US_ASCII);
    EventScanner sc = new EventScanner();
    assertThat(sc.scan(b, 0, b.length)).isEqualTo(-1);
    assertThat(sc.error).contains("truncated");
    assertThat(sc.errorAt).isEqualTo(b.length);
  }

  /** A quote or control character just past the limit, inside the same eight-byte word. */
  @ParameterizedTest
  @ValueSource(strings = {"\"", "\n", "\u0001", "\\"})
  void specialBytesJustPastTheLimit(String after) {
    for (int length = 0; length < 16; length++) {
      String json = "{\"verb\":\"" + "x".repeat(length);
      byte[] b = (json + after + "\"}" + " ".repeat(16)).getBytes(StandardCharsets.US_ASCII);
      EventScanner sc = new EventScanner();
      assertThat(sc.scan(b, 0, json.length())).as("length %d", length).isEqualTo(-1);
      assertThat(sc.error).as("length %d", length).contains("truncated");
      assertThat(sc.errorAt).as("length %d", length).isEqualTo(json.length());
    }
  }
}
