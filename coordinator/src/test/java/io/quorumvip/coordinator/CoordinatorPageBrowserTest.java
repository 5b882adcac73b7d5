package io.quorumvip.coordinator;

import static io.quorumvip.coordinator.AgentJournals.INSTANCE;
import static io.quorumvip.coordinator.AgentJournals.VIP;
import static io.quorumvip.coordinator.AgentJournals.VRID;
import static io.quorumvip.coordinator.AgentJournals.body;
import static io.quorumvip.coordinator.AgentJournals.draft;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.ownership.RoleInput;
import io.vertx.core.Vertx;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's chromium and chromium-driver): a fail-over ingested through the
 * HTTP API, then what an operator would look at. Leaves a screenshot in {@code target/browser/page.png}.
 */
class CoordinatorPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String N1_TOKEN = "n1-secret-token-0001";
    private static final String N2_TOKEN = "n2-secret-token-0002";
    private static final String VIRTUAL_SERVER = "192.0.2.210:80/tcp";
    private static final String RS1 = "192.0.2.51:80";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Vertx vertx;
    private CoordinatorServer server;

    @BeforeEach
    void startCoordinator() throws Exception {
        vertx = Vertx.vertx();
        server = CoordinatorServer.start(vertx, tmp.resolve("coordinator"), NodeTokens.of(Map.of("n1", N1_TOKEN, "n2", N2_TOKEN)),
                        "127.0.0.1", 0, () -> AgentJournals.START_MILLIS * 1000)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopCoordinator() throws Exception {
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** n1 owns the VIP with lease epoch 1, loses ZooKeeper and leaves; 3 s later n2 takes over with epoch 2. */
    private static List<EventDraft> n1Story() {
        return List.of(
                draft(0, 0, new Cause(CauseKind.STARTUP, "n1", 1), new Event.AgentStarted("test")),
                draft(10, 0, Cause.timer("master_down"), new Event.VrrpStateChanged(INSTANCE, VRID, RoleInput.BACKUP, RoleInput.MASTER)),
                draft(20, 1, Cause.leaseWatch("acquired", 0x5eed1), new Event.LeaseAcquired(INSTANCE, 0x5eed1, 0)),
                draft(30, 1, Cause.timer("master_down"), new Event.VipBound(INSTANCE, VIP, 2)),
                draft(20_000, 1, Cause.leaseWatch("expired", 0x5eed1), new Event.LeaseLost(INSTANCE, 0x5eed1)),
                draft(20_001, 0, Cause.leaseWatch("expired", 0x5eed1), new Event.VipReleased(INSTANCE, VIP)),
                draft(20_002, 0, Cause.leaseWatch("expired", 0x5eed1),
                        new Event.VrrpStateChanged(INSTANCE, VRID, RoleInput.MASTER, RoleInput.FAULT)),
                draft(20_010, 0, Cause.operator("stop"), new Event.AgentStopped("lost ZooKeeper")));
    }

    /** n2 also directs 192.0.2.210:80: both real servers in its pool, then rs1 fails its TCP_CHECK and leaves. */
    private static List<EventDraft> n2Story() {
        var both = List.of(new Event.PoolMemberEntry(RS1, 1, false), new Event.PoolMemberEntry("192.0.2.52:80", 1, false));
        return List.of(
                draft(5, 0, new Cause(CauseKind.STARTUP, "n2", 1), new Event.AgentStarted("test")),
                draft(15, 0, Cause.timer("startup"), new Event.VrrpStateChanged(INSTANCE, VRID, RoleInput.INITIALIZE, RoleInput.BACKUP)),
                draft(23_000, 0, Cause.timer("master_down"), new Event.VrrpStateChanged(INSTANCE, VRID, RoleInput.BACKUP, RoleInput.MASTER)),
                draft(23_010, 2, Cause.leaseWatch("acquired", 0x5eed2), new Event.LeaseAcquired(INSTANCE, 0x5eed2, 0)),
                draft(23_020, 2, Cause.timer("master_down"), new Event.VipBound(INSTANCE, VIP, 2)),
                draft(24_000, 2, Cause.NONE, new Event.PoolChanged(VIRTUAL_SERVER, 1, both)),
                draft(30_000, 2, Cause.health("TCP_CHECK", 0), new Event.RealServerDown(VIRTUAL_SERVER, RS1,
                        new Event.CheckEvidence("TCP_CHECK", "connect refused", -1, -1, 900, 4))),
                draft(30_001, 2, Cause.NONE, new Event.PoolChanged(VIRTUAL_SERVER, 2, both.subList(1, 2))));
    }

    private void ship(String node, String token, byte[] body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "v1/nodes/" + node + "/records"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private String base() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    @Test
    void shouldShowTheNewOwnerAndTheOutageAfterAFailOverAndUpdateLive() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + "): run scripts/install-deps");
        List<byte[]> n1 = AgentJournals.write(tmp.resolve("n1"), "n1", n1Story());
        List<byte[]> n2 = AgentJournals.write(tmp.resolve("n2"), "n2", n2Story());
        ship("n1", N1_TOKEN, body(n1, 1, n1.size()));
        ship("n2", N2_TOKEN, body(n2, 1, n2.size()));

        Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        Path profile = Files.createDirectory(tmp.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                        "--window-size=1400,1500", "--force-device-scale-factor=1");
        WebDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(base());

            WebElement owner = wait.until(d -> d.findElements(By.cssSelector("#owners .owner[data-vip='" + VIP + "'] .owner-node"))
                    .stream().findFirst().orElse(null));
            assertThat(owner.getText()).isEqualTo("n2");
            assertThat(driver.findElement(By.cssSelector("#owners .owner[data-vip='" + VIP + "'] .owner-meta")).getText())
                    .contains("lease epoch 2");
            WebElement incident = wait.until(d -> d.findElements(By.cssSelector("#incidents tr.incident[data-kind='NO_OWNER']"))
                    .stream().findFirst().orElse(null));
            assertThat(incident.getText()).contains("NO_OWNER").contains(VIP);

            incident.click();
            List<WebElement> causes = wait.until(d -> {
                List<WebElement> found = d.findElements(By.cssSelector("#detail li.cause"));
                return found.isEmpty() ? null : found;
            });
            assertThat(causes).extracting(WebElement::getText)
                    .anySatisfy(text -> assertThat(text).contains("n1 #5").contains("lost lease epoch 1"))
                    .anySatisfy(text -> assertThat(text).contains("n2 #5").contains("bound"));
            assertThat(driver.findElements(By.cssSelector("#timeline rect.highlight"))).hasSize(1);

            WebElement rs1Down = wait.until(d -> d.findElements(
                    By.cssSelector("#timeline rect[data-real-server='" + RS1 + "'][data-node='n2'][data-state='down']"))
                    .stream().findFirst().orElse(null));
            ((ChromeDriver) driver).executeScript("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", rs1Down);
            assertThat(wait.until(d -> d.findElements(By.cssSelector("#detail .summary")).stream()
                    .filter(p -> p.getText().contains(RS1)).findFirst().orElse(null)).getText())
                    .contains(VIRTUAL_SERVER + " real server " + RS1 + " down (TCP_CHECK connect refused, 4 in a row");

            Object pageId = ((ChromeDriver) driver).executeScript("return window.performance.timeOrigin;");
            List<byte[]> n1Again = AgentJournals.write(tmp.resolve("n1"), "n1",
                    List.of(draft(40_000, 0, new Cause(CauseKind.STARTUP, "n1", 2), new Event.AgentStarted("test"))));
            ship("n1", N1_TOKEN, body(n1Again, n1Again.size(), n1Again.size()));
            WebElement live = wait.until(d -> d.findElements(By.cssSelector("#feed li[data-node='n1'][data-seq='9']"))
                    .stream().findFirst().orElse(null));
            assertThat(live.getText()).contains("agent started");
            assertThat(((ChromeDriver) driver).executeScript("return window.performance.timeOrigin;"))
                    .as("the page was not reloaded").isEqualTo(pageId);
            wait.until(d -> d.findElement(By.id("clock")).getText().contains("04:40:40.000"));
            assertThat(driver.findElement(By.cssSelector("#owners .owner[data-vip='" + VIP + "'] .owner-node")).getText())
                    .isEqualTo("n2");

            // The page asks for a window of the report and only the load-balancing records, never everything.
            @SuppressWarnings("unchecked")
            List<String> asked = (List<String>) ((ChromeDriver) driver).executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/v1/'));");
            assertThat(asked).filteredOn(url -> url.contains("/v1/forensics")).isNotEmpty()
                    .allSatisfy(url -> assertThat(url).contains("from="));
            assertThat(asked).filteredOn(url -> url.contains("/v1/events?")).isNotEmpty()
                    .allSatisfy(url -> assertThat(url).contains("types="));

            Path screenshot = Path.of(System.getProperty("basedir", "."), "target", "browser", "page.png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
            assertThat(Files.size(screenshot)).isPositive();
        } finally {
            try {
                if (driver != null) {
                    driver.quit();
                }
            } finally {
                service.stop();
                // Whatever the driver left (chromium and its helpers): only processes this test started, by PID.
                ProcessHandle.current().descendants().filter(p -> !before.contains(p.pid()))
                        .forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void shouldServeThePageAndItsModulesWithoutAnythingFromOutside() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        for (String module : List.of("app.js", "timeline.js", "pools.js", "format.js", "app.css")) {
            HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(base() + module)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).as(module).isEqualTo(200);
            assertThat(file.body()).as(module).doesNotContainPattern("(src=|href=|from |import |url\\()\\s*['\"]?(https?:)?//");
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base() + "nope.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no such resource: GET /nope.js");
    }
}
