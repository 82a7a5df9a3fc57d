package io.warren.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.ctl.Warrenctl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * bin/warrenctl run as a separate process, as scripts (and RabbitMQ's client test suites) run rabbitmqctl: from a copy
 * of the repository's layout in {@code home} (the script, a jar of warrenctl's classes and its libraries, older poms),
 * so that it finds its jar up to date and never starts a build. Test thread.
 */
final class WarrenctlScript {
  /** What one run printed and returned. */
  record Run(int code, String out, String err) {
  }

  private final Path home;

  WarrenctlScript(Path home) throws IOException, URISyntaxException {
    this.home = home;
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.copy(Path.of("..", "bin", "warrenctl"), bin.resolve("warrenctl"));
    bin.resolve("warrenctl").toFile().setExecutable(true);
    Files.writeString(home.resolve("pom.xml"), "<project/>");
    Path target = Files.createDirectories(home.resolve("warrenctl/target/lib"));
    Files.writeString(home.resolve("warrenctl/pom.xml"), "<project/>");
    for (Class<?> fromLib : List.of(CommandLine.class, ObjectMapper.class,
        com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class)) {
      Path jar = location(fromLib);
      Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    Path classes = location(Warrenctl.class);
    Path jar = target.getParent().resolve("warrenctl-test.jar");
    if (Files.isDirectory(classes)) {
      jarOf(classes, jar);
    } else {
      Files.copy(classes, jar);
    }
    for (String pom : List.of("pom.xml", "warrenctl/pom.xml")) {
      Files.setLastModifiedTime(home.resolve(pom), FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }
  }

  Run run(String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(home.resolve("bin/warrenctl").toString()),
        Stream.of(args)).toList());
    pb.environment().remove("JAVA_OPTS");
    Path out = home.resolve("out");
    Path err = home.resolve("err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("warrenctl finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Path location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static void jarOf(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
        Stream<Path> all = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
  }
}
