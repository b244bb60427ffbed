package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.rules.Priority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka output against a real broker on loopback. */
class KafkaSinkTest {
  @TempDir Path tmp;

  @Test
  void alertsArriveAsFalcoJsonKeyedByHost() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(tmp)) {
      Properties ap = new Properties();
      ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
      try (Admin admin = Admin.create(ap)) {
        admin.createTopics(List.of(new NewTopic("falco-alerts", 1, (short) 1))).all().get();
      }
      SinkConfig.Kafka cfg =
          new SinkConfig.Kafka(
              List.of(broker.bootstrap()),
              "falco-alerts",
              "all",
              "lz4",
              "vigil-test",
              Map.of(),
              new Delivery(10_000, 0, 100, 3, Priority.DEBUG));
      int n = 500;
      try (Outputs out = SinksTest.start(SinksTest.JSON_RENDERING, cfg)) {
        for (int i = 0; i < n; i++) {
          out.submit(FalcoFormatTest.alert());
        }
        assertThat(
                Await.until(Duration.ofSeconds(60), () -> out.stats().getFirst().delivered() == n))
            .as(broker.log())
            .isTrue();
      }
      Properties cp = new Properties();
      cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
      cp.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
      cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
        c.subscribe(List.of("falco-alerts"));
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (got.size() < n && System.nanoTime() < end) {
          c.poll(Duration.ofMillis(500)).forEach(got::add);
        }
      }
      assertThat(got).hasSize(n);
      ConsumerRecord<String, String> r = got.getFirst();
      assertThat(r.key()).isEqualTo("node-1");
      JsonNode j = SinksTest.JSON.readTree(r.value());
      assertThat(j.get("rule").asText()).isEqualTo("Read sensitive file untrusted");
      assertThat(j.get("output_fields").get("evt.time").asLong()).isEqualTo(FalcoFormatTest.TIME);
      assertThat(r.value())
          .isEqualTo(
              new FalcoFormat(SinksTest.JSON_RENDERING.format())
                  .json(FalcoFormatTest.alert(), "node-1"));
    }
  }
}
