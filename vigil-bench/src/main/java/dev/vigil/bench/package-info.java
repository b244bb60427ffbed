/**
 * JMH benchmarks. Build with {@code mvn -Pbench package}; run with {@code java -jar
 * vigil-bench/target/benchmarks.jar}. Results and exact commands are in docs/benchmarks.md.
 */
@NullMarked
package dev.vigil.bench;

import org.jspecify.annotations.NullMarked;
