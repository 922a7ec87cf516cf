package io.sluice.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its ChromeDriver: nothing is downloaded (no Selenium Manager, no
 * browser builds). Tests skip when either binary is missing.
 */
final class Browser implements AutoCloseable {
    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Path screenshots;
    private int shots;

    static void assumeAvailable() {
        assumeTrue(CHROMIUM.canExecute(), "Chromium is not installed (apt-get install chromium): skipping the dashboard's browser tests");
        assumeTrue(CHROMEDRIVER.canExecute(), "ChromeDriver is not installed (apt-get install chromium-driver): skipping the dashboard's browser tests");
    }

    Browser(Path screenshots) throws IOException {
        assumeAvailable();
        this.screenshots = screenshots;
        Files.createDirectories(screenshots);
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.deleteIfExists(p);
            }
        }
        profile = Files.createTempDirectory("sluice-chromium-");
        // never let Selenium look for (or download) a driver or a browser
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.getAbsolutePath());
        System.setProperty("SE_AVOID_STATS", "true");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1366,900", "--lang=en-GB");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    /** Where a test class's build folder is (target/ or -Dsluice.build.dir): next to test-classes. */
    static Path buildDir() {
        try {
            Path testClasses = Path.of(Browser.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent();
        } catch (URISyntaxException e) {
            return Path.of("target");
        }
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    String text(String css) {
        return find(css).getText();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
        // screens redraw as they poll: an element may go stale between finding and reading it
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Waits for an element and returns it. */
    WebElement awaitElement(Duration timeout, String css) {
        return await(timeout, "element " + css, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        WebElement e = find(css);
        js("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** A screenshot of the whole page (the window grows to the page's height for it). */
    Path screenshot(String name) throws IOException {
        Dimension before = driver.manage().window().getSize();
        Number height = (Number) js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
        int h = Math.min(4000, Math.max(before.getHeight(), height.intValue() + 140));
        if (h != before.getHeight()) {
            driver.manage().window().setSize(new Dimension(before.getWidth(), h));
        }
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path to = screenshots.resolve(String.format("%02d-%s.png", ++shots, name));
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        if (h != before.getHeight()) {
            driver.manage().window().setSize(before);
        }
        return to;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
