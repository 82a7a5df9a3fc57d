package io.warren.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * bin/warrenctl itself, as scripts run it: it is started once per operation, so it keeps a class-data-sharing
 * archive of its classes, and whatever the JVM says about that archive must stay out of the output that scripts
 * parse. The script runs from a copy of the repository's layout (the script, a built jar and its libraries), so that
 * it finds its jar up to date and never starts a build.
 */
class LauncherScriptTest {
  @TempDir
  Path home;
  private FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi().get("/api/vhosts", "vhosts.json");
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.copy(Path.of("..", "bin", "warrenctl"), bin.resolve("warrenctl"));
    bin.resolve("warrenctl").toFile().setExecutable(true);
    Files.writeString(home.resolve("pom.xml"), "<project/>");
    Path target = Files.createDirectories(home.resolve("warrenctl/target/lib"));
    Files.writeString(home.resolve("warrenctl/pom.xml"), "<project/>");
    for (Class<?> fromLib : List.of(CommandLine.class, ObjectMapper.class,
        com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class)) {
      Path jar = Path.of(fromLib.getProtectionDomain().getCodeSource().getLocation().toURI());
      Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    Path jar = target.getParent().resolve("warrenctl-test.jar");
    jarOf(Path.of(Warrenctl.class.getProtectionDomain().getCodeSource().getLocation().toURI()), jar);
    // the poms older than the jar, so that the script does not rebuild it
    for (String pom : List.of("pom.xml", "warrenctl/pom.xml")) {
      Files.setLastModifiedTime(home.resolve(pom), FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theFirstCallWritesTheArchiveAndNeitherCallPrintsMoreThanItsAnswer() throws Exception {
    Path archive = home.resolve("warrenctl/target/warrenctl.jsa");
    Run first = script("--port", Integer.toString(api.port()), "-q", "list_vhosts");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("name\n/\nteam-a\n");
    assertThat(first.err()).isEmpty();
    assertThat(archive).isRegularFile();
    FileTime written = Files.getLastModifiedTime(archive);
    try (Stream<Path> files = Files.list(archive.getParent())) {
      assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith("warrenctl.jsa."));
    }

    Run second = script("--port", Integer.toString(api.port()), "-q", "list_vhosts");
    assertThat(second).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(archive)).as("mapped, not written again").isEqualTo(written);

    Run wrong = script("--port", Integer.toString(api.port()), "list_vhost");
    assertThat(wrong.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrong.out()).isEmpty();
    assertThat(wrong.err()).startsWith("Error: Unmatched argument").doesNotContain("[warning]");
  }

  @Test
  void anArchiveOlderThanTheJarIsWrittenAgain() throws Exception {
    Path archive = home.resolve("warrenctl/target/warrenctl.jsa");
    Files.writeString(archive, "not an archive");
    Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    Run run = script("--port", Integer.toString(api.port()), "-q", "list_vhosts");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("name\n/\nteam-a\n");
    assertThat(run.err()).isEmpty();
    assertThat(Files.size(archive)).isGreaterThan(1_000_000);
  }

  private Run script(String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(home.resolve("bin/warrenctl").toString()),
        Stream.of(args)).toList());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("WARRENCTL_HOST", "127.0.0.1");
    Path out = home.resolve("out");
    Path err = home.resolve("err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("warrenctl finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static void jarOf(Path classes, Path jar) throws IOException, URISyntaxException {
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
