package dev.vigil.cli.daemon;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration and rules files (Falco's {@code watch_config_files}) and calls back
 * once a burst of changes has settled: editors and falcoctl write files in several steps, and
 * Kubernetes swaps ConfigMap contents through a symlinked directory, so each path's directory is
 * watched and changes are debounced.
 */
final class FileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
  static final long SETTLE_MILLIS = 300;

  private final WatchService service;
  private final Set<Path> files = new HashSet<>();
  private final Set<Path> dirs = new HashSet<>();
  private final Runnable onChange;
  private final Thread thread;

  FileWatcher(List<Path> paths, Runnable onChange) throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.onChange = onChange;
    for (Path p : paths) {
      Path abs = p.toAbsolutePath().normalize();
      if (Files.isDirectory(abs)) {
        dirs.add(abs);
        abs.register(service, kinds());
      } else {
        files.add(abs);
      }
      Path parent = abs.getParent();
      if (parent != null && Files.isDirectory(parent)) {
        parent.register(service, kinds());
      }
    }
    this.thread = Thread.ofPlatform().daemon().name("vigil-watch").start(this::run);
  }

  private static WatchEvent.Kind<?>[] kinds() {
    return new WatchEvent.Kind<?>[] {
      StandardWatchEventKinds.ENTRY_CREATE,
      StandardWatchEventKinds.ENTRY_MODIFY,
      StandardWatchEventKinds.ENTRY_DELETE
    };
  }

  private boolean relevant(Path dir, Path name) {
    Path full = dir.resolve(name).toAbsolutePath().normalize();
    if (files.contains(full) || dirs.contains(dir) || dirs.contains(full)) {
      return true;
    }
    // ConfigMap updates swap the ..data symlink in the watched file's directory
    return name.toString().startsWith("..")
        && files.stream().anyMatch(f -> dir.equals(f.getParent()));
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        boolean changed = drain(key);
        if (!changed) {
          continue;
        }
        // settle: keep draining until no event arrives for a while
        WatchKey more;
        while ((more = service.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
          drain(more);
        }
        try {
          onChange.run();
        } catch (RuntimeException e) {
          LOG.error("reload after a file change failed", e);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private boolean drain(WatchKey key) {
    boolean changed = false;
    Path dir = (Path) key.watchable();
    for (WatchEvent<?> ev : key.pollEvents()) {
      if (ev.context() instanceof Path name && relevant(dir, name)) {
        changed = true;
      } else if (ev.kind().equals(StandardWatchEventKinds.OVERFLOW)) {
        changed = true;
      }
    }
    key.reset();
    return changed;
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // nothing to do
    }
    thread.interrupt();
  }
}
