package dev.vigil.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka: every alert as Falco's JSON, keyed by host name (so one host's alerts stay in order on one
 * partition). A batch is sent asynchronously, then flushed; the producer retries on its own within
 * its delivery timeout, and what still fails is retried by the output from the first failure
 * (at-least-once).
 */
final class KafkaSink implements Sink {
  private final SinkConfig.Kafka config;
  private final KafkaProducer<String, String> producer;

  KafkaSink(SinkConfig.Kafka config) throws OutputException {
    this.config = config;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.brokers()));
    p.put(ProducerConfig.ACKS_CONFIG, config.acks());
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.putAll(config.properties());
    try {
      producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    } catch (KafkaException e) {
      throw new OutputException("kafka output: " + e.getMessage(), e);
    }
  }

  @Override
  public void deliver(List<Outgoing> batch) throws DeliveryException {
    List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
    try {
      for (Outgoing o : batch) {
        sent.add(producer.send(new ProducerRecord<>(config.topic(), o.hostname(), o.json())));
      }
      producer.flush();
    } catch (KafkaException e) {
      throw new DeliveryException(
          "cannot send to topic " + config.topic(), firstFailure(sent), true, e);
    }
    int failed = firstFailure(sent);
    if (failed < batch.size()) {
      throw new DeliveryException("cannot send to topic " + config.topic(), failed, true);
    }
  }

  /** The index of the first record not acknowledged (the size when all were). */
  private static int firstFailure(List<Future<RecordMetadata>> sent) {
    for (int i = 0; i < sent.size(); i++) {
      Future<RecordMetadata> f = sent.get(i);
      if (!f.isDone()) {
        return i;
      }
      try {
        f.get();
      } catch (ExecutionException e) {
        return i;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return i;
      }
    }
    return sent.size();
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
