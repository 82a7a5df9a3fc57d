package io.warren.management;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a user does and sees in the web console, in words a test can read: pages by their hash, forms by a field
 * inside them, notices, chart legends and the chart's drawn pixels. Confined to the test thread.
 */
public final class ConsolePage {
  public final ChromeDriver driver;
  private final String base;
  private final WebDriverWait wait;

  public ConsolePage(ChromeDriver driver, String base) {
    this.driver = driver;
    this.base = base;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
    // Lists re-render on every refresh: an element found a moment ago may have been replaced.
    wait.ignoring(StaleElementReferenceException.class);
  }

  public <T> T until(Function<WebDriver, T> condition) {
    return wait.until(condition);
  }

  public void open(String hash) {
    driver.get(base + hash);
    until(d -> !d.findElements(By.cssSelector("#main > *")).isEmpty());
  }

  public void login(String user, String password) {
    until(d -> visible(By.id("login-button")));
    type(By.id("username"), user);
    type(By.id("password"), password);
    driver.findElement(By.id("login-button")).click();
  }

  public void type(By by, String text) {
    WebElement el = until(d -> visible(by));
    el.clear();
    el.sendKeys(text);
  }

  public void choose(By select, String value) {
    new Select(until(d -> visible(select))).selectByValue(value);
  }

  /** The form holding the element, unfolded if it sits in a closed "Add ..." panel. */
  public WebElement form(By inside) {
    WebElement form = until(d -> d.findElement(inside)).findElement(By.xpath("./ancestor::form"));
    WebElement details = form.findElement(By.xpath("./ancestor::details"));
    if (details.getAttribute("open") == null) {
      details.findElement(By.tagName("summary")).click();
    }
    return form;
  }

  public void submit(WebElement form) {
    form.findElement(By.cssSelector("button[type=submit]")).click();
  }

  /**
   * Clicks the element found in a row that the page may re-render meanwhile, scrolled to the middle of the window
   * first so that the sticky header never covers it.
   */
  public void clickIn(By row, By target) {
    until(d -> {
      WebElement element = d.findElement(row).findElement(target);
      driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
      element.click();
      return true;
    });
  }

  public WebElement visible(By by) {
    List<WebElement> found = driver.findElements(by);
    return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
  }

  public String text(By by) {
    List<WebElement> found = driver.findElements(by);
    return found.isEmpty() ? "" : found.get(0).getText().trim();
  }

  /** Text of the newest notice of a kind ("ok", "error"), or "" while there is none. */
  public String notice(String kind) {
    List<WebElement> found = driver.findElements(By.cssSelector("#notices .notice." + kind));
    return found.isEmpty() ? "" : found.get(found.size() - 1).getText();
  }

  public String awaitNotice(String kind) {
    return until(d -> notice(kind).isEmpty() ? null : notice(kind));
  }

  public void dismissNotices() {
    driver.executeScript("document.querySelectorAll('#notices .notice').forEach(n => n.remove())");
  }

  public String legend(String chartId, String series) {
    return text(By.cssSelector("#" + chartId + " .legend-value[data-series='" + series + "']"));
  }

  /** A number as the console prints it ("1,234"), or -1 for anything else ("–", ""). */
  public static long number(String shown) {
    String digits = shown.replace(",", "");
    return digits.matches("[0-9]+") ? Long.parseLong(digits) : -1;
  }

  /**
   * The top-most canvas row holding a series' stroke colour: proof the chart is drawn, not just labelled; a
   * higher value puts the line higher (a smaller row). -1 while that colour is nowhere on the canvas.
   */
  public int highestLinePixel(String chartId, String hexColour) {
    Object y = driver.executeScript(
        "const c = document.querySelector('#' + arguments[0] + ' canvas');"
            + "if (!c) return -1;"
            + "const want = [1, 3, 5].map(i => parseInt(arguments[1].substr(i, 2), 16));"
            + "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + "for (let row = 0; row < c.height; row++) {"
            + "  for (let col = 0; col < c.width; col++) {"
            + "    const i = (row * c.width + col) * 4;"
            + "    if (Math.abs(px[i] - want[0]) < 12 && Math.abs(px[i + 1] - want[1]) < 12"
            + "        && Math.abs(px[i + 2] - want[2]) < 12 && px[i + 3] > 200) return row;"
            + "  }"
            + "}"
            + "return -1;",
        chartId, hexColour);
    return ((Number) y).intValue();
  }
}
