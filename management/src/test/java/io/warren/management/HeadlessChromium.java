package io.warren.management;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven headless through the system chromedriver: no browser or driver download
 * (both paths are set, so Selenium Manager has nothing to resolve), a fresh profile per run with a downloads folder,
 * and screenshots written to a folder under target/. Shared with broker-server's browser test through this module's
 * test jar. Confined to the test thread.
 */
public final class HeadlessChromium implements AutoCloseable {
  static final Path BROWSER = Path.of(System.getProperty("warren.test.chromium", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("warren.test.chromedriver", "/usr/bin/chromedriver"));

  private final Path profile;
  private final Path screenshots;
  private final Path downloads;
  public final ChromeDriver driver;

  public HeadlessChromium(Path screenshots) throws IOException {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      // Fail, not skip: a CI machine without the browser must show up red (.ci/run installs both).
      throw new IllegalStateException("The browser test needs Debian's chromium and chromium-driver packages: "
          + BROWSER + (Files.isExecutable(BROWSER) ? " found" : " missing") + ", "
          + DRIVER + (Files.isExecutable(DRIVER) ? " found" : " missing")
          + " (apt-get install -y chromium chromium-driver)");
    }
    this.screenshots = Files.createDirectories(screenshots);
    this.profile = Files.createTempDirectory("warren-chromium-");
    this.downloads = Files.createDirectories(profile.resolve("downloads"));
    ChromeOptions options = new ChromeOptions();
    options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    // headless Chromium saves downloads only when told where
    driver.executeCdpCommand("Browser.setDownloadBehavior", java.util.Map.of("behavior", "allow", "downloadPath",
        downloads.toString()));
  }

  /** The folder the browser saves downloaded files in (deleted with the profile). */
  public Path downloads() {
    return downloads;
  }

  /** Saves the whole window as {@code name}.png and returns its path. */
  public Path screenshot(String name) {
    try {
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      return Files.copy(shot, screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
