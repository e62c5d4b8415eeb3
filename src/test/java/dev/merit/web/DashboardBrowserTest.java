package dev.merit.web;

import dev.merit.contributor.Wallets;
import dev.merit.governance.ChainService;
import dev.merit.governance.GovernanceService;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TempPaths;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromedriver), with an injected EIP-1193 wallet that
 * signs with anvil's public test account 1: a contributor finds themselves, checks the breakdown against the API and
 * links their wallet with Sign-In with Ethereum; as a DAO member they open the payout proposal and vote, and the vote
 * is on chain and in the tally on the page. Screenshots of every page go to target/screenshots.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DashboardBrowserTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static ChromeDriver driver;

    @TestHTTPResource("/")
    URL base;

    @Inject
    ChainService chain;

    @Inject
    GovernanceService governance;

    @Inject
    Wallets wallets;

    @Inject
    dev.merit.payroll.PayoutLedger ledger;

    @BeforeAll
    static void browser() throws IOException {
        String binary = System.getProperty("merit.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("merit.chromedriver", "/usr/bin/chromedriver");
        if (!new File(binary).canExecute() || !new File(chromedriver).canExecute()) {
            throw new IllegalStateException("The browser tests need Chromium and its driver at " + binary + " and "
                    + chromedriver + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them), or "
                    + "-Dmerit.chromium=... -Dmerit.chromedriver=...");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort()
                // Chromium's profile and singleton socket go here, deleted with the test run's other temporary files.
                .withEnvironment(Map.of("TMPDIR", TempPaths.directory("merit-chromium").toString())).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** window.ethereum backed by the local chain's unlocked public test account: anvil signs, as a wallet would. */
    private static String testWallet(String rpcUrl, String account) {
        return """
                (() => {
                  const rpc = '%s';
                  const state = { account: '%s', chain: '0x7a69', refuseSwitch: false };
                  let id = 0;
                  async function call(method, params) {
                    const res = await fetch(rpc, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
                    const body = await res.json();
                    if (body.error) { const e = new Error(body.error.message); e.code = body.error.code; throw e; }
                    return body.result;
                  }
                  const calls = [];
                  Object.defineProperty(window, 'ethereum', { configurable: true, value: {
                    isMeritTestWallet: true, calls, state,
                    async request({ method, params }) {
                      calls.push(method);
                      switch (method) {
                        case 'eth_requestAccounts': case 'eth_accounts': return [state.account];
                        case 'eth_chainId': return state.chain;
                        case 'wallet_switchEthereumChain':
                          if (state.refuseSwitch) { const e = new Error('User rejected the request.'); e.code = 4001; throw e; }
                          state.chain = params[0].chainId;
                          return null;
                        default: return call(method, params || []);
                      }
                    },
                    listeners: {},
                    on(event, f) { (this.listeners[event] ||= []).push(f); },
                    removeListener(event, f) { this.listeners[event] = (this.listeners[event] || []).filter((g) => g !== f); },
                    // What a wallet does when its person picks another account.
                    switchTo(account) { state.account = account; (this.listeners.accountsChanged || []).forEach((f) => f([account])); },
                  } });
                })();
                """.formatted(rpcUrl, account);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aContributorChecksTheirBreakdownLinksTheirWalletAndAMemberVotes() throws Exception {
        // A DAO with one epoch: three contributors, a scoring run and a payout proposal.
        TestRepo r = TestRepo.create("merit-dash", Instant.parse("1993-05-01T00:00:00Z"));
        r.write("a.c", "int a;\nint b;\nint c;\n").commit("feat: parser", "Ada Dash", "ada@dash.example");
        r.write("d.md", "# Guide\n\nhow to run it\nand more\n").commit("docs: guide", "Ada Dash", "ada@dash.example");
        r.write("b.c", "int d;\nint e;\n").commit("fix: overflow", "Bea Dash", "bea@dash.example");
        r.write("c.c", "int f;\n").commit("refactor: names", "Cal Dash", "cal@dash.example");
        Api.ingest(r);
        long epoch = Api.epoch("dash-1993-05", "1993-05-01T00:00:00Z", "1993-06-01T00:00:00Z",
                TOKEN.multiply(BigInteger.valueOf(1000)));
        long run = Api.score(epoch);
        JsonPath payout = Api.propose(epoch);
        long proposal = payout.getLong("id");
        long ada = contributorByEmail("ada@dash.example");

        String member = DevAccounts.account(1).getAddress();
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", testWallet(chain.rpcUrl(), member)));

        // --- A contributor finds themselves and reads their breakdown: the page's numbers are the API's.
        open("#/?q=ada%40dash.example");
        click(waitFor(By.linkText("Ada Dash")));
        WebElement total = waitFor(By.cssSelector("[data-stat=total]"));
        JsonPath breakdown = given().get("/api/scoring-runs/{run}/contributors/{id}", run, ada).then().statusCode(200)
                .extract().jsonPath();
        assertThat(total.getText()).isEqualTo(plain(breakdown.getString("standing.total")));
        assertThat(text(By.cssSelector("[data-stat=rank]"))).isEqualTo(breakdown.getInt("standing.rank") + " of 3");
        List<String> apiScores = breakdown.<String>getList("contributions.score").stream().map(DashboardBrowserTest::plain).toList();
        waitUntil(() -> driver.findElements(By.cssSelector("#breakdown-list > li")).size() == 2, "the contributions to load");
        List<String> pageScores = driver.findElements(By.cssSelector("#breakdown-list > li .score")).stream()
                .map(WebElement::getText).toList();
        assertThat(pageScores).isEqualTo(apiScores).hasSize(2);
        List<String> apiTitles = breakdown.getList("contributions.title");
        WebElement first = driver.findElements(By.cssSelector("#breakdown-list > li")).get(0);
        assertThat(first.getText()).contains(apiTitles.get(0));
        // Each contribution reads as an equation: size points × type factor ... = points, and its part of hers.
        assertThat(first.findElement(By.cssSelector(".equation")).getText())
                .matches("[0-9.]+ size points × [0-9.]+ \\w+.* = " + java.util.regex.Pattern.quote(apiScores.get(0))
                        + " points \\([0-9.]+ % of your points\\)");
        // From points to tokens, once: the waterfall ends at her amount.
        assertThat(text(By.cssSelector("#waterfall li:last-child"))).startsWith("Amount").contains(" MPAY");
        // Its explanation: the features that moved the prediction, in words, with the model's own name for each.
        WebElement why = first.findElement(By.cssSelector("details.more"));
        click(why.findElement(By.tagName("summary")));
        // Its lines as counts, and what each does to its effective lines.
        assertThat(why.findElement(By.cssSelector("[data-factor=lines_added]")).getText())
                .matches("lines added: \\d+ \\(\\+\\d+ effective lines?\\).*");
        List<String> apiFeatures = breakdown.getList("contributions[0].explanation.influences.feature");
        List<WebElement> influences = why.findElements(By.cssSelector("ul.influences li"));
        assertThat(influences).hasSize(apiFeatures.size()).isNotEmpty();
        for (int i = 0; i < influences.size(); i++) {
            String feature = apiFeatures.get(i);
            assertThat(influences.get(i).getAttribute("data-feature")).isEqualTo(feature);
            String words = influences.get(i).findElement(By.cssSelector(".influence")).getText();
            assertThat(words).as(feature).isNotBlank().isNotEqualTo(feature);
        }
        BigInteger adaPayout = new BigInteger(payout.<Map<String, Object>>getList("lines").stream()
                .filter(l -> ((Number) l.get("contributorId")).longValue() == ada).findFirst().orElseThrow()
                .get("amountBaseUnits").toString());
        assertThat(text(By.cssSelector("[data-stat=payout]"))).isEqualTo(tokens(adaPayout) + " MPAY");
        assertThat(driver.findElements(By.cssSelector("canvas[role=img][aria-label]"))).hasSizeGreaterThanOrEqualTo(3);
        shot("contributor");
        accessible("contributor");
        // A filter is kept in the address: after a reload (or from a shared link) the list is the same.
        List<String> types = breakdown.getList("contributions.type");
        String type = types.get(1);
        long ofType = types.stream().filter(type::equals).count();
        js("const f = document.getElementById('f-type'); f.value = '" + type + "'; f.dispatchEvent(new Event('change')); return null");
        waitUntil(() -> driver.findElements(By.cssSelector("#breakdown-list > li")).size() == ofType, "the filtered list");
        waitUntil(() -> driver.getCurrentUrl().contains("type=" + type), "the filter in the address");
        driver.navigate().refresh();
        waitUntil(() -> driver.findElements(By.cssSelector("#breakdown-list > li")).size() == ofType
                && type.equals(js("return document.getElementById('f-type').value")), "the filter after a reload");
        js("const f = document.getElementById('f-type'); f.value = ''; f.dispatchEvent(new Event('change')); return null");
        waitUntil(() -> driver.findElements(By.cssSelector("#breakdown-list > li")).size() == 2, "the whole list again");


        // --- They link their wallet: a Sign-In with Ethereum message signed in the wallet opens a claim, and the page
        // says which code to post from which account. Ada is known by her GitHub account too: the test stores that identity
        // directly (forgeLogin), as if Merit had learned it from a comment she wrote.
        forgeLogin(ada, "github:ada-dash");
        click(waitFor(By.id("link-wallet")));
        waitUntil(() -> text(By.id("flash")).contains("from github:ada-dash"), "the claim's code to be shown");
        waitUntil(() -> text(By.id("session")).startsWith("Signed in as"), "the session to show");
        assertThat((List<Object>) js("return window.ethereum.calls")).contains("eth_requestAccounts", "personal_sign");
        assertThat(wallets.of(ada)).isEmpty();
        shot("wallet-claim");
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("merit-link-[A-Z0-9]{12}").matcher(text(By.id("flash")));
        assertThat(code.find()).isTrue();
        // She posts it from her GitHub account; GitHub's signed webhook delivers it, and the wallet is hers.
        dev.merit.ingest.webhook.GitHubWebhookTest.post("issue_comment", dev.merit.ingest.webhook.GitHubWebhookTest
                .comment(1, 1_993_000_001L, "1993-06-02T10:00:00Z", "ada-dash", "My payout wallet: " + code.group()))
                .statusCode(200);
        assertThat(wallets.of(ada)).hasValueSatisfying(w -> assertThat(w).isEqualToIgnoringCase(member));
        click(waitFor(By.id("link-wallet")));
        waitUntil(() -> text(By.id("flash")).contains("is linked to Ada Dash"), "the wallet link to be confirmed");

        // --- Signed in as herself, she disputes the type the model gave one of her commits; a maintainer accepts,
        // and her page says the type is corrected from the next scoring run.
        WebElement dispute = waitFor(By.cssSelector("#breakdown-list > li details.dispute"));
        click(dispute.findElement(By.tagName("summary")));
        WebElement form = dispute.findElement(By.tagName("form"));
        long disputed = Long.parseLong(form.getAttribute("data-contribution"));
        // Nothing is claimed for her: the list starts on "Choose…", under its label, and each type says what it pays.
        assertThat(form.findElement(By.tagName("select")).getAttribute("value")).isEmpty();
        assertThat(form.findElement(By.cssSelector("label[for^='claim-']")).getText()).isEqualTo("What type is it?");
        assertThat(form.findElements(By.cssSelector("select option")).stream().map(WebElement::getText))
                .anyMatch(t -> t.matches("style \\(× [0-9.]+\\)"));
        // She claims a type that pays differently from whatever the model gave, so that the re-scoring below moves
        // her points: style (0.2), or feature (1.0) if the model already said style.
        String claimed = (String) ((JavascriptExecutor) driver).executeScript(
                "const s = arguments[0].querySelector('select');"
                        + " s.value = [...s.options].some((o) => o.value === 'style') ? 'style' : 'feature'; return s.value;",
                form);
        form.findElement(By.name("reason")).sendKeys("It only reformats the parser.");
        click(form.findElement(By.cssSelector("button[type=submit]")));
        waitUntil(() -> text(By.id("flash")).startsWith("Dispute "), "the dispute to be sent");
        JsonPath disputes = given().get("/api/disputes?contributorId={c}", ada).then().statusCode(200).extract().jsonPath();
        assertThat(disputes.getList("status")).containsExactly("open");
        assertThat(disputes.getString("[0].claimedType")).isEqualTo(claimed);
        assertThat(disputes.getLong("[0].contributionId")).isEqualTo(disputed);
        waitFor(By.cssSelector("[data-dispute-status=open]"));
        assertThat(driver.findElements(By.cssSelector("#disputes-table tbody tr"))).hasSize(1);
        // It names its epoch, and what the type is worth both ways.
        assertThat(text(By.id("disputes-table"))).contains(given().get("/api/epochs/{id}", epoch).then().extract()
                .jsonPath().getString("name")).containsPattern("[0-9.,]+ points\\b").contains("points at its weight");
        shot("dispute");
        accessible("dispute");
        // Her other commit, as if the model had been unsure and the run paid it another weight than its type's own (the
        // median over the probabilities): her form offers that very type, at its own weight.
        long other = given().get("/api/scoring-runs/{id}/contributors/{c}", run, ada).then().extract().jsonPath()
                .getList("contributions.contributionId", Long.class).stream().filter(x -> x != disputed).findFirst()
                .orElseThrow();
        String otherType = payAsIfUnsure(run, other);
        driver.navigate().refresh();
        WebElement otherForm = waitFor(By.cssSelector("form.dispute[data-contribution='" + other + "']"));
        assertThat(otherForm.findElements(By.cssSelector("select option")).stream()
                .filter(o -> o.getAttribute("value").equals(otherType)).map(o -> o.getAttribute("textContent")).toList())
                .singleElement().asString().contains("at its own weight");
        ((JavascriptExecutor) driver).executeScript("arguments[0].querySelector('select').value = arguments[1];",
                otherForm, otherType);
        click(otherForm.findElement(By.xpath("../summary"))); // opens the form's <details>
        otherForm.findElement(By.name("reason")).sendKeys("It is one: pay it as one.");
        click(otherForm.findElement(By.cssSelector("button[type=submit]")));
        waitUntil(() -> text(By.id("flash")).startsWith("Dispute "), "the second dispute to be sent");
        long ownTypeDispute = given().get("/api/disputes?contributorId={c}", ada).then().extract().jsonPath()
                .<Map<String, Object>>getList("").stream().filter(d -> ((Number) d.get("contributionId")).longValue() == other)
                .map(d -> ((Number) d.get("id")).longValue()).findFirst().orElseThrow();
        // A maintainer answers it from the disputes page (here: the dashboard on Merit's own machine).
        open("#/disputes");
        // The dispute of a type "at its own weight" is answered with that very type preselected, not another one.
        WebElement ownTypeRow = waitFor(By.cssSelector("#disputes-list tr[data-dispute='" + ownTypeDispute + "']"));
        assertThat(ownTypeRow.findElement(By.name("type")).getAttribute("value")).isEqualTo(otherType);
        WebElement row = waitFor(By.cssSelector("#disputes-list tr[data-dispute='" + disputes.getLong("[0].id") + "']"));
        assertThat(row.getText()).contains("It only reformats the parser");
        // What the answer is worth, beside each type: the points scored, and the points if accepted.
        JsonPath worth = given().get("/api/disputes/{id}", disputes.getLong("[0].id")).then().extract().jsonPath();
        assertThat(row.getText()).containsPattern("[0-9.,]+ points\\s").contains(
                worth.getString("pointsAsked") + " points if accepted"); // under 1,000: no separator
        // The page says where a contributor opens one (the form is beside each contribution, for its author).
        assertThat(text(By.id("how-to-dispute"))).contains("sign in with the wallet linked to you")
                .contains("Wrong type? Dispute it");
        row.findElement(By.name("answer")).sendKeys("Agreed.");
        shot("disputes");
        accessible("disputes");
        click(row.findElement(By.cssSelector("button[data-answer=accept]")));
        waitUntil(() -> text(By.id("flash")).startsWith("Accepted:"), "the dispute to be accepted");
        assertThat(given().get("/api/disputes/{id}", disputes.getLong("[0].id")).then().extract().jsonPath()
                .getString("status")).isEqualTo("accepted");
        open("#/contributors/" + ada);
        waitUntil(() -> text(By.cssSelector("[data-dispute-status=accepted]")).contains(claimed + " from the next scoring run"),
                "the accepted dispute to show");

        // An account stored as a person whom today's rule reads as a bot waits on the same page; the maintainer decides.
        TestRepo deploys = TestRepo.create("merit-dash-bots", Instant.parse("1989-01-01T00:00:00Z"));
        deploys.write("deploy.yml", "on: tag\n").commit("chore: deploy", "Dash Deploy Bot", "deploy-bot@dash.example");
        Api.ingest(deploys);
        long deploy = contributorByEmail("deploy-bot@dash.example");
        countAsPerson(deploy);
        open("#/disputes");
        WebElement review = waitFor(By.cssSelector("#bot-review-list tr[data-review='" + deploy + "']"));
        assertThat(review.getText()).contains("Dash Deploy Bot").contains("a person").contains("reads it as a bot");
        shot("bot-review");
        accessible("bot-review");
        review.findElement(By.name("reason")).sendKeys("our deploy script");
        click(review.findElement(By.cssSelector("button[data-bot=yes]")));
        waitUntil(() -> text(By.id("flash")).contains("as a bot"), "the mark to be confirmed");
        waitUntil(() -> driver.findElements(By.cssSelector("#bot-review-list tr[data-review='" + deploy + "']")).isEmpty(),
                "the account to leave the review list");
        assertThat(given().get("/api/contributors/{id}", deploy).then().extract().jsonPath().getString("botMark.reason"))
                .isEqualTo("our deploy script");

        // One person under two e-mails, with her name typed two ways: the maintainer sees the pair and merges it.
        TestRepo twice = TestRepo.create("merit-dash-twice", Instant.parse("1989-02-01T00:00:00Z"));
        twice.write("x.c", "int x;\n").commit("fix: x", "Dee Twice", "dee@work.example");
        twice.write("y.c", "int y;\n").commit("fix: y", "Dée Twice", "dee@home.example");
        Api.ingest(twice);
        long work = contributorByEmail("dee@work.example");
        long home = contributorByEmail("dee@home.example");
        String pair = Math.min(work, home) + "-" + Math.max(work, home);
        open("#/disputes?status=open"); // another address than the page shown: drawn again
        WebElement suggested = waitFor(By.cssSelector("#merge-list tr[data-pair='" + pair + "']"));
        assertThat(suggested.getText()).contains("Dee Twice").contains("Dée Twice").contains("the same name");
        shot("merge-review");
        accessible("merge-review");
        suggested.findElement(By.name("reason")).sendKeys("she told us on the forum");
        // The page asks before it merges, naming which of the two stays (the test's browser says yes).
        js("window.confirm = (m) => { window.asked = m; return true; }; return null");
        assertThat(suggested.findElement(By.cssSelector("button[data-merge]")).getText())
                .matches("Merge #\\d+ into #\\d+");
        click(suggested.findElement(By.cssSelector("button[data-merge]")));
        waitUntil(() -> text(By.id("flash")).contains("Merged:"), "the merge to be confirmed");
        // What moved, as the CLI says it: the work she wrote and the work she is credited on (what is paid).
        assertThat(text(By.id("flash"))).contains("(author of 1 contribution and credited on 1 contribution, moved)");
        assertThat((String) js("return window.asked")).contains(" stays;").contains("can be undone");
        waitUntil(() -> driver.findElements(By.cssSelector("#merge-list tr[data-pair='" + pair + "']")).isEmpty(),
                "the pair to leave the list");
        assertThat(given().get("/api/contributors/merges").then().extract().jsonPath().getList("reason"))
                .contains("she told us on the forum");
        // The account merged away says whose it is now, and a maintainer can undo it from there.
        long away = given().get("/api/contributors/{id}", work).then().extract().jsonPath().get("mergedInto") != null
                ? work : home;
        open("#/contributors/" + away);
        assertThat(waitFor(By.id("merged-into")).getText()).matches("(?s)Merged into D.e Twice \\(#\\d+\\).*")
                .contains("Undo this merge");
        assertThat(driver.findElements(By.id("link-wallet"))).isEmpty();
        // On the page of the one that stays, a maintainer may count any account as a bot (asked first, with why).
        long kept = away == work ? home : work;
        open("#/contributors/" + kept);
        click(waitFor(By.cssSelector("#mark-control summary")));
        driver.findElement(By.id("mark-reason")).sendKeys("a test account");
        js("window.confirm = (m) => { window.asked = m; return true; }; return null");
        click(driver.findElement(By.id("mark-bot")));
        waitUntil(() -> Boolean.TRUE.equals(given().get("/api/contributors/{id}", kept).then().extract().jsonPath()
                .get("bot")), "the account to be counted as a bot");
        assertThat((String) js("return window.asked")).contains("as a bot?")
                .contains("counts from the next scoring run");
        assertThat(given().get("/api/contributors/{id}", kept).then().extract().jsonPath().getString("botMark.reason"))
                .isEqualTo("a test account");

        // --- The payout goes on chain; voting opens.
        JsonPath lines = given().get("/api/payout-proposals/{id}", proposal).then().statusCode(200).extract().jsonPath();
        for (Map<String, Object> line : lines.<Map<String, Object>>getList("lines")) {
            long contributor = ((Number) line.get("contributorId")).longValue();
            if (contributor != ada) {
                wallets.link(contributor, String.format("0x%040x", 0xDA5B0000L + contributor));
            }
        }
        // The maintainer puts it on chain from its page (asked first, with what happens next).
        open("#/proposals/" + proposal);
        WebElement putOnChain = waitFor(By.id("put-on-chain"));
        js("window.asks = []; window.confirm = (m) => { window.asks.push(m); window.asked = window.asks[0]; "
                + "return true; }; return null");
        click(putOnChain);
        waitUntil(() -> text(By.id("flash")).contains("is going on chain"), "the payout to go on chain");
        // Its tallies are not read yet, and say so (zeros read as a vote nobody joined).
        waitUntil(() -> text(By.id("tallies")).contains("not read from the chain yet"), "the tallies' note");
        assertThat((String) js("return window.asked"))
                .startsWith("Put payout #" + proposal + " on chain? Members then vote")
                .doesNotContain("without a wallet"); // everyone has one here (DashboardFormatTest has the words)
        // Work before its epoch that no payout has paid (other tests' here, if any) is named before the API is told to
        // close it (it refuses otherwise).
        Number lost = lines.get("closes.contributionsBefore");
        if (lost != null && lost.longValue() > 0) { // asked on its own, second, naming what it closes
            assertThat((String) js("return window.asks[1]")).startsWith("Close unpaid work for good? Once payout #"
                    + proposal + " is approved, ").contains("which no payout has paid, can never be paid")
                    .contains("OK closes that time for good");
        } else {
            assertThat(((Number) js("return window.asks.length")).intValue()).isEqualTo(1);
        }
        open("#/proposals"); // away, so that opening the proposal below draws it anew
        governance.tick();
        governance.tick();
        chain.localNode().orElseThrow().mine(2);
        governance.tick();

        // --- A member opens the proposal: content hash, searchable payout table, tallies; and votes For.
        open("#/proposals/" + proposal);
        waitUntil(() -> "active".equals(driver.findElement(By.id("chain-part")).getAttribute("data-chain-state"))
                && text(By.id("proposal-state-word")).equals("on chain, members are voting"),
                "the proposal to show as active, in words");
        // While members vote, the vote comes first: before the recomputation (and any comparison with the last payout).
        assertThat(js("return !!(document.getElementById('onchain').compareDocumentPosition("
                + "document.getElementById('verify-now')) & Node.DOCUMENT_POSITION_FOLLOWING)")).isEqualTo(true);
        assertThat(text(By.id("content-hash"))).isEqualTo(lines.getString("contentHash"));
        // What it closes of unpaid work, as the maintainer asked, stays said beside the vote (nothing if it closes none).
        if (lost != null && lost.longValue() > 0) {
            assertThat(text(By.id("vote-closes-unpaid"))).contains("which no payout had paid: with this payout "
                    + "approved, the vault never pays them").contains("asked for it when putting the payout on chain");
        } else {
            assertThat(driver.findElements(By.id("vote-closes-unpaid"))).isEmpty();
        }
        assertThat(driver.findElements(By.cssSelector("#payout-table tbody tr"))).hasSize(3);
        // Every amount reads exactly as the API gives it, every base unit; past the fourth decimal place, quieter.
        List<WebElement> amounts = driver.findElements(By.cssSelector("#payout-table tbody td[title$='base units']"));
        assertThat(amounts.stream().map(c -> c.getText().replace(",", "").replace(" MPAY", "")).toList())
                .containsExactlyInAnyOrderElementsOf(lines.getList("lines.amountTokens", String.class));
        assertThat(amounts).allSatisfy(cell -> {
            String shown = cell.getText().replace(" MPAY", "");
            int decimals = shown.contains(".") ? shown.length() - shown.indexOf('.') - 1 : 0;
            assertThat(cell.findElements(By.cssSelector(".amount .fine"))).hasSize(decimals > 4 ? 1 : 0);
        });
        WebElement search = driver.findElement(By.id("line-search"));
        search.sendKeys("Bea");
        assertThat(driver.findElements(By.cssSelector("#payout-table tbody tr")).stream().filter(WebElement::isDisplayed)
                .toList()).hasSize(1);
        search.clear();
        search.sendKeys(" ");
        search.clear();
        assertThat(text(By.cssSelector("[data-tally=for]"))).isEqualTo("0");
        // The signed-in member's votes at the snapshot, read without asking for a ballot.
        waitUntil(() -> text(By.id("voting-power")).equals("100 votes"), "the member's voting power");
        // Voting opened at a mined block (its own time); it closes at one not mined yet (an estimate, said so).
        assertThat(text(By.id("vote-opens"))).doesNotStartWith("about").doesNotStartWith("with the next block");
        assertThat(text(By.id("vote-closes"))).startsWith("about ");
        // Who voted, from the governor's events: nobody yet.
        waitUntil(() -> text(By.id("votes-cast")).contains("No member has voted yet."), "the votes cast");
        shot("proposal");
        accessible("proposal");
        // On a phone over plain http there is no clipboard: Copy shows the whole value, selected, wrapped to the
        // screen (on one line it pushed the page sideways to 636 px).
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            js("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true}); return null");
            WebElement copy = driver.findElements(By.cssSelector("#payout-table button.copy")).get(0);
            click(copy);
            waitUntil(() -> text(By.cssSelector("#payout-table code.whole")).length() == 42,
                    "the whole wallet address");
            assertThat((Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth + 1"))
                    .as("the page fits a 390 px phone after Copy").isTrue();
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 800));
        }

        // A wallet on another chain that refuses to switch, then an account without voting power: clear refusals.
        js("Object.assign(window.ethereum.state, {chain: '0x1', refuseSwitch: true}); return null");
        click(driver.findElement(By.cssSelector("button[data-support='1']")));
        waitUntil(() -> text(By.id("vote-status")).startsWith("Wrong network: your wallet is on chain 1, this DAO is on chain 31337"),
                "the wrong-network message");
        String noVotes = DevAccounts.account(5).getAddress();
        js("Object.assign(window.ethereum.state, {chain: '0x7a69', refuseSwitch: false, account: '" + noVotes + "'}); return null");
        click(driver.findElement(By.cssSelector("button[data-support='1']")));
        waitUntil(() -> text(By.id("vote-status")).contains("had no delegated votes"), "the no-voting-power message");
        shot("no-voting-power");
        assertThat(text(By.cssSelector("[data-tally=for]"))).isEqualTo("0");
        // The wallet says it switched: the page reads that account's votes (the session's are the member's), says it has
        // none before any click, and offers no ballot; switching back gives the member's 100 votes again.
        js("window.ethereum.switchTo('" + noVotes + "'); return null");
        waitUntil(() -> text(By.id("voting-power")).equals("none (see below)"), "the switched account's voting power");
        assertThat(text(By.id("vote-status")).toLowerCase()).contains(noVotes.substring(0, 6).toLowerCase() + "…")
                .contains("had no delegated votes");
        assertThat(driver.findElements(By.cssSelector("button[data-support]")))
                .allSatisfy(button -> assertThat(button.isEnabled()).isFalse());
        js("window.ethereum.switchTo('" + member + "'); return null");
        waitUntil(() -> text(By.id("voting-power")).equals("100 votes"), "the member's voting power after switching back");

        click(driver.findElement(By.cssSelector("button[data-support='1']")));
        waitUntil(() -> text(By.id("vote-status")).contains("is on chain"), "the vote to be confirmed");
        waitUntil(() -> text(By.cssSelector("[data-tally=for]")).equals("100"), "the For tally to show 100 votes");
        // and among the votes cast, the member's own, as the tally counts it
        waitUntil(() -> text(By.id("votes-cast")).contains("for") && text(By.id("votes-cast")).contains("100"),
                "the member's vote among the votes cast");
        assertThat(driver.findElement(By.cssSelector("#votes-cast tr[data-voter]")).getDomAttribute("data-voter"))
                .isEqualToIgnoringCase(member);
        assertThat((List<Object>) js("return window.ethereum.calls")).contains("eth_signTypedData_v4");
        shot("voted");


        // On chain: the governor emitted VoteCast for this member, For, with their 100 votes.
        String onchainId = given().get("/api/chain/proposals/{id}", proposal).then().extract().jsonPath().getString("onchainId");
        MeritGovernor governor = MeritGovernor.load(chain.dao().governor(), chain.web3j(),
                new ReadonlyTransactionManager(chain.web3j(), member), new DefaultGasProvider());
        assertThat(governor.hasVoted(new BigInteger(onchainId), member).send()).isTrue();
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, chain.dao().governor())
                .addSingleTopic(EventEncoder.encode(MeritGovernor.VOTECAST_EVENT))
                .addSingleTopic("0x" + TypeEncoder.encode(new Address(member)));
        List<MeritGovernor.VoteCastEventResponse> casts = votesCast(filter, new BigInteger(onchainId));
        assertThat(casts).hasSize(1);
        MeritGovernor.VoteCastEventResponse cast = casts.get(0);
        assertThat(cast.support).isEqualTo(BigInteger.ONE);
        assertThat(cast.weight).isEqualTo(TOKEN.multiply(BigInteger.valueOf(100)));

        // Voting twice is not offered: the buttons are off, and the page says how this member voted (the relay's refusal
        // of a second vote is PayoutOnChainTest's).
        assertThat(driver.findElements(By.cssSelector("button[data-support]"))).isNotEmpty()
                .allSatisfy(button -> assertThat(button.isEnabled()).isFalse());
        assertThat(text(By.id("vote-status"))).contains("You voted For");
        assertThat(votesCast(filter, new BigInteger(onchainId))).hasSize(1);
        // After a reload the page still says how this member voted: from the governor's VoteCast event, with the
        // votes it counted and the transaction.
        driver.navigate().refresh();
        waitUntil(() -> text(By.id("vote-status")).contains("voted For with 100 votes"), "the member's vote after a reload");
        assertThat(text(By.id("vote-status"))).contains("transaction 0x");
        assertThat(driver.findElements(By.cssSelector("button[data-support]")))
                .allSatisfy(button -> assertThat(button.isEnabled()).isFalse());
        // The chain stops answering while the page is open: the page says so by itself, first on the page (what it says
        // of the vote is as last read), and once the chain is back it is drawn anew by itself, where the reader was.
        assertThat(driver.findElements(By.id("chain-silent"))).isEmpty();
        chain.localNode().orElseThrow().killProcess();
        waitUntil(() -> !driver.findElements(By.id("chain-silent")).isEmpty(), "the page to say the chain is silent");
        assertThat(text(By.id("chain-silent"))).startsWith("The chain cannot be read now: what this page says of the "
                + "vote (its state, tallies and times) is as Merit last read it").endsWith("The page updates by itself "
                + "once it does.");
        // Their vote, as Merit read it, is said still; no button offers a ballot (none could be checked now).
        assertThat(text(By.id("vote-status"))).contains("voted For with 100 votes");
        assertThat(driver.findElements(By.cssSelector("button[data-support]")))
                .allSatisfy(button -> assertThat(button.isEnabled()).isFalse());
        assertThat(text(By.id("vote-opens"))).doesNotContain("null");
        shot("chain-silent");
        governance.recover(); // what the follower does every merit.chain.poll-interval
        waitUntil(() -> driver.findElements(By.id("chain-silent")).isEmpty(), "the page to come back by itself");
        waitUntil(() -> text(By.id("vote-status")).contains("voted For with 100 votes"),
                "the member's vote, read again");

        // The home page: which DAO, the epoch and its budget, the proposal up for a vote with its deadline as a time
        // (the block number in its tooltip), and the top of the leaderboard.
        open("#/");
        waitFor(By.id("home-vote-panel"));
        assertThat(text(By.cssSelector("[data-home=state]"))).isEqualTo("voting");
        assertThat(driver.findElement(By.cssSelector("[data-home=state]")).getDomAttribute("data-state"))
                .isEqualTo("active");
        // The sentence under the badge, a sentence of its own (an executed one's drops the badge's word: "executed:").
        assertThat(text(By.cssSelector("[data-home=state-text]"))).isEqualTo("On chain, members are voting");
        WebElement deadline = driver.findElement(By.cssSelector("#home-vote-panel time"));
        assertThat(deadline.getAttribute("title")).startsWith("block ");
        assertThat(deadline.getText()).as("a block not mined yet: its time is an estimate").startsWith("about ");
        assertThat(deadline.getAttribute("datetime")).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        JsonPath overview = given().get("/api/overview").then().statusCode(200).extract().jsonPath();
        assertThat(overview.getLong("latestProposal.id")).isEqualTo(proposal);
        assertThat(text(By.cssSelector("[data-home=budget]")))
                .isEqualTo(tokens(new BigInteger(overview.getString("currentEpoch.budgetBaseUnits"))) + " MPAY");
        // The leaderboard of the epoch that ends last among those begun (another class's may end after this one's).
        assertThat(driver.findElements(By.cssSelector("#home-leaders-list li")))
                .hasSize(overview.getList("leaderboard.top").size()).isNotEmpty();
        // The maintainer (this machine) reads what waits on them: here the drafts other classes left.
        waitUntil(() -> !text(By.id("home-waiting-panel")).contains("Reading what waits"),
                "what waits on the maintainer");
        String waiting = text(By.id("home-waiting-panel"));
        assertThat(waiting).startsWith("Waiting on you");
        // As the panel lists them: drafts of epochs that have ended (one of a running epoch waits on no one yet).
        java.util.Set<Object> ended = given().get("/api/epochs").then().extract().jsonPath()
                .<Map<String, Object>>getList("").stream().filter(e -> java.time.Instant.parse(
                        String.valueOf(e.get("endsAt"))).isBefore(java.time.Instant.now()))
                .map(e -> e.get("id")).collect(java.util.stream.Collectors.toSet());
        List<Map<String, Object>> drafts = given().get("/api/payout-proposals").then().extract().jsonPath()
                .<Map<String, Object>>getList("").stream().filter(p -> "draft".equals(p.get("state"))
                        && ended.contains(p.get("epochId"))
                        && !String.valueOf(p.get("stateText")).contains("can never go on chain")).toList();
        if (!drafts.isEmpty()) {
            assertThat(waiting).contains("Draft payout #" + drafts.get(0).get("id") + " of ");
        }
        shot("home");
        accessible("home");

        // --- The other pages, and a visitor without a wallet. The epoch is scored again after Ada's dispute: the
        // leaderboard says what moved since the first run, and why.
        long rescored = Api.score(epoch);
        open("#/epochs/" + epoch);
        waitFor(By.id("leaderboard"));
        assertThat(driver.findElements(By.cssSelector("#leaderboard tbody tr"))).hasSize(3);
        assertThat(text(By.id("leaderboard-credit"))).contains("counted in each author's Contributions column");
        waitFor(By.id("run-changes"));
        assertThat(text(By.id("run-changes"))).isEqualTo("Changes since the previous scoring");
        assertThat(text(By.id("run-changes-contributors"))).contains("Ada Dash");
        assertThat(text(By.id("run-changes-contributions"))).contains("corrected to").contains("on a dispute");
        assertThat(rescored).isGreaterThan(run);
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("Type weights").contains(breakdown.getString("modelVersion"));
        shot("leaderboard");
        accessible("leaderboard");
        // The payout on chain (its vote under way) pays from the first run: the history lists that one, and the new
        // scoring beside it; the new one's page says it pays nothing of the payout on chain, and links her share there.
        open("#/contributors/" + ada + "?run=" + run);
        waitFor(By.id("breakdown"));
        assertThat(js("const s = document.getElementById('epoch'); return [...s.options].map(o => "
                + "(o.selected ? '*' : '') + o.textContent).join(' | ')"))
                .isEqualTo("*dash-1993-05 | dash-1993-05, scored again");
        open("#/contributors/" + ada + "?run=" + rescored);
        // The scoring made after the answer counts the commit as corrected (its type factor says so), and says so.
        waitUntil(() -> text(By.cssSelector("[data-dispute-status=accepted]")).equals("Dispute accepted: counted as "
                + claimed + " in this scoring"), "the accepted dispute, counted in the new scoring");
        assertThat(waitFor(By.id("on-chain-elsewhere")).getText()).contains("payout #" + proposal)
                .contains("pays from its earlier scoring").contains("This later scoring pays nothing of it");
        assertThat(text(By.cssSelector("[data-stat=payout]"))).isEqualTo("none from this scoring");
        // A contributor counted as a bot reads why, and who decided: here a maintainer marked Cal a bot.
        long cal = contributorByEmail("cal@dash.example");
        given().contentType(ContentType.JSON).body(Map.of("bot", true, "by", "the treasurer", "reason",
                "the release script's account")).put("/api/contributors/{id}/bot", cal).then().statusCode(200);
        open("#/contributors/" + cal);
        assertThat(waitFor(By.id("bot-notice")).getText()).startsWith("Counted as a bot account")
                .contains("Marked a bot by the treasurer (from this machine, without a token) on ")
                .contains(": the release script's account.")
                .contains("a maintainer can correct it");
        shot("bot-account");
        open("#/proposals");
        waitFor(By.id("proposals"));
        shot("proposals");
        accessible("proposals");
        js("delete window.ethereum; return null");
        click(driver.findElement(By.id("sign-out")));
        waitUntil(() -> driver.findElement(By.id("sign-in")).isDisplayed(), "the sign-in button after signing out");
        click(driver.findElement(By.id("sign-in")));
        waitUntil(() -> text(By.id("flash")).startsWith("No wallet found"), "the no-wallet message");
        shot("no-wallet");
    }

    /** The member's VoteCast events on this proposal (the local chain is shared with other tests' proposals). */
    private List<MeritGovernor.VoteCastEventResponse> votesCast(EthFilter filter, BigInteger proposalId) throws IOException {
        return chain.web3j().ethGetLogs(filter).send().getLogs().stream()
                .map(l -> MeritGovernor.getVoteCastEventFromLog((org.web3j.protocol.core.methods.response.Log) l.get()))
                .filter(e -> e.proposalId.equals(proposalId)).toList();
    }

    /** A decimal as the dashboard shows it: without trailing zeros. */
    private static String plain(String decimal) {
        return new java.math.BigDecimal(decimal).stripTrailingZeros().toPlainString();
    }

    private static String tokens(BigInteger baseUnits) {
        java.math.BigDecimal t = new java.math.BigDecimal(baseUnits, 18).stripTrailingZeros();
        String plain = t.toPlainString();
        String whole = plain.contains(".") ? plain.substring(0, plain.indexOf('.')) : plain;
        String frac = plain.contains(".") ? plain.substring(plain.indexOf('.')) : "";
        return String.format("%,d", new BigInteger(whole)) + frac;
    }

    /** A commit a merge brought in counts in the month it was merged; its line says when it was written too. */
    @Test
    void aMergedCommitSaysWhenItWasWrittenAndWhenMerged() {
        TestRepo r = TestRepo.create("merit-dash-merged", Instant.parse("2097-02-20T00:00:00Z"));
        r.write("core.c", "int core;\n").commit("feat: core", "Gus Merged", "gus@merged.example");
        r.branch("topic").write("topic.c", "int topic;\nint more;\n")
                .commit("feat: topic", "Gus Merged", "gus@merged.example");
        r.checkout("main").mergeAt(Instant.parse("2097-03-02T09:00:00Z"), "topic", "Gus Merged", "gus@merged.example");
        Api.ingest(r);
        long epoch = Api.epoch("merged-2097-03", "2097-03-01T00:00:00Z", "2097-04-01T00:00:00Z",
                TOKEN.multiply(BigInteger.TEN));
        assertThat(contributionMeta("gus@merged.example", Api.score(epoch), "feat: topic", "contribution-merged"))
                .contains("written 2097-02-20, merged 2097-03-02");
    }

    /**
     * An epoch made by mistake, with nothing dated in it: its page says there is nothing to score, and a maintainer
     * deletes it there, asked first.
     */
    @Test
    void anEpochMadeByMistakeSaysItIsEmptyAndIsDeletedFromItsPage() {
        long epoch = Api.epoch("mistake-2113-04", "2113-04-01T00:00:00Z", "2113-05-01T00:00:00Z", TOKEN);
        open("#/epochs/" + epoch);
        assertThat(waitFor(By.id("not-scored")).getText()).isEqualTo("No contribution is dated in this epoch yet, so "
                + "there is nothing to score: work counts here once a repository with work dated in its period is "
                + "ingested.");
        click(driver.findElement(By.cssSelector("#delete-control summary")));
        js("window.confirm = (m) => { window.asked = m; return true; }; return null");
        click(driver.findElement(By.id("delete-epoch")));
        waitUntil(() -> text(By.id("flash")).equals("Epoch mistake-2113-04 deleted."), "the epoch to be deleted");
        // (Nothing is dated in it: the question does not speak of its contributions.)
        assertThat((String) js("return window.asked")).isEqualTo("Delete epoch mistake-2113-04? This cannot be "
                + "undone.");
        assertThat(driver.getCurrentUrl()).endsWith("#/epochs");
        given().get("/api/epochs/{id}", epoch).then().statusCode(404);
    }

    /**
     * "Recompute it now" says what differs whenever anything does: a score changed in the database leaves every amount
     * as it was, and the page read "every amount matches" for it while `merit verify` failed.
     */
    @Test
    void recomputingAPayoutWhoseScoreWasChangedSaysWhatDiffers() {
        TestRepo r = TestRepo.create("merit-dash-changed", Instant.parse("2043-05-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Ivy Changed", "ivy@changed.example");
        Api.ingest(r);
        long epoch = Api.epoch("changed-2043-05", "2043-05-01T00:00:00Z", "2043-06-01T00:00:00Z",
                TOKEN.multiply(BigInteger.TEN));
        Api.score(epoch);
        long payout = Api.propose(epoch).getLong("id");
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> assertThat(dev.merit.payroll.PayoutLine
                .update("score = score + 1 where proposalId = ?1", payout)).isOne());
        open("#/proposals/" + payout);
        click(waitFor(By.cssSelector("#verify-now button")));
        waitUntil(() -> !text(By.cssSelector("#verify-now p")).isEmpty(), "the recomputation");
        assertThat(text(By.cssSelector("#verify-now p"))).startsWith("Mismatch: line of Ivy Changed")
                .contains("score stored").doesNotContain("every amount matches");
    }

    /** An old or mistyped link is a page that is not there, with the server's words, not a failure of Merit's. */
    @Test
    void aLinkToNothingSaysNotFound() {
        for (String link : List.of("#/proposals/999999999", "#/contributors/999999999", "#/epochs/999999999")) {
            open("#/");
            waitUntil(() -> !driver.findElements(By.id("home-vote")).isEmpty(), "the home page");
            open(link);
            waitUntil(() -> List.of("Not found", "Something went wrong").contains(text(By.cssSelector("main h1"))),
                    "the heading of " + link);
            assertThat(text(By.cssSelector("main h1"))).as(link).isEqualTo("Not found");
            assertThat(text(By.cssSelector("main"))).as(link).contains("999999999").doesNotContain("went wrong");
        }
    }

    /**
     * The line under a contribution's title on its author's page in a run ("type · repository · dates · hash"), shown
     * in the middle of the screen and photographed as {@code shot}.
     */
    private String contributionMeta(String email, long run, String title, String shot) {
        open("#/contributors/" + contributorByEmail(email) + "?run=" + run);
        WebElement line = waitFor(By.xpath("//li[@data-contribution][.//span[@class='title' and text()='" + title + "']]"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", line);
        shot(shot);
        return line.findElement(By.cssSelector(".meta")).getText();
    }

    /**
     * Work pushed after its month was scored: the payout says it leaves it out, and once the payout is approved it counts
     * in the next month, saying the day it is dated and the day it counts. (The approval is recorded as governance
     * records an executed payout; the chain's part is tested in HeldLinesTest. A period of the future is paid up to its
     * end, so the late work counts from the end.)
     */
    @Test
    void workPushedAfterItsMonthWasScoredIsNamedByThePayoutAndCountsInTheNext() {
        TestRepo r = TestRepo.create("merit-dash-late", Instant.parse("2098-02-03T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: paid in february", "Hal Late", "hal@late.example");
        long repo = Api.ingest(r);
        long february = Api.epoch("late-2098-02", "2098-02-01T00:00:00Z", "2098-03-01T00:00:00Z",
                TOKEN.multiply(BigInteger.TEN));
        Api.score(february);
        long payout = Api.propose(february).getLong("id");
        r.write("b.c", "int b;\nint c;\n").commitAt(Instant.parse("2098-02-10T00:00:00Z"), "fix: pushed late",
                "Hal Late", "hal@late.example");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        // Before the vote: the payout says what it leaves out.
        open("#/proposals/" + payout);
        assertThat(waitFor(By.id("stored-after-run")).getText()).isEqualTo("1 contribution of late-2098-02 was stored "
                + "after the scoring run this payout was made from, so it does not pay it. Score the epoch again and "
                + "propose anew to pay it in this period. If this payout is approved as it is, it counts from the moment "
                + "it is approved, in the first period not paid by then.");
        shot("proposal-stored-after-run");
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> ledger.chainState(payout, "EXECUTED"));
        long march = Api.epoch("late-2098-03", "2098-03-01T00:00:00Z", "2098-04-01T00:00:00Z",
                TOKEN.multiply(BigInteger.TEN));
        assertThat(contributionMeta("hal@late.example", Api.score(march), "fix: pushed late", "contribution-late"))
                .contains("dated 2098-02-10, counted 2098-03-01: it came in after the payout of its period was made");
    }

    /** A DAO of 120 contributors: the leaderboard shows 50, and 50 more a tap, with how many are shown of how many. */
    @Test
    void aLongLeaderboardLoadsAPageAtATime() throws Exception {
        TestRepo r = TestRepo.create("merit-dash-many", Instant.parse("1980-07-01T00:00:00Z"));
        int people = 120;
        for (int i = 0; i < people; i++) {
            r.write("p" + i + ".c", "int p" + i + ";\n".repeat(1 + i % 7)).commit("feat: part " + i, "Many " + i,
                    "many" + i + "@dash.example");
        }
        Api.ingest(r);
        long epoch = Api.epoch("many-1980-07", "1980-07-01T00:00:00Z", "1980-08-01T00:00:00Z",
                TOKEN.multiply(BigInteger.valueOf(1000)));
        long run = Api.score(epoch);
        List<Object> ranked = given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200).extract()
                .jsonPath().getList("displayName");
        open("#/epochs/" + epoch);
        waitFor(By.id("leaderboard"));
        By rows = By.cssSelector("#leaderboard tbody tr");
        assertThat(driver.findElements(rows)).hasSize(50);
        WebElement more = waitFor(By.id("leaderboard-more"));
        assertThat(more.getText()).isEqualTo("Show more (50 of 120 shown)");
        shot("leaderboard-long");
        click(more);
        waitUntil(() -> driver.findElements(rows).size() == 100, "the second page of standings");
        waitUntil(() -> text(By.id("leaderboard-more")).equals("Show more (100 of 120 shown)"), "the button's count");
        assertThat(text(By.id("leaderboard-status"))).isEqualTo("100 of 120 contributors shown.");
        click(driver.findElement(By.id("leaderboard-more")));
        waitUntil(() -> driver.findElements(rows).size() == people, "the last page of standings");
        waitUntil(() -> driver.findElements(By.id("leaderboard-more")).isEmpty(), "the button to go");
        assertThat(text(By.id("leaderboard-status"))).isEqualTo("All 120 contributors shown.");
        // The button went: focus is on what it said, not back at the top of the page.
        assertThat(js("return document.activeElement.id")).isEqualTo("leaderboard-status");
        List<String> names = driver.findElements(By.cssSelector("#leaderboard tbody tr td:nth-child(2) a")).stream()
                .map(WebElement::getText).toList();
        assertThat(names).containsExactlyElementsOf(ranked.stream().map(String::valueOf).toList());
        readable("long leaderboard");
        // On a phone each standing is a card of two columns under its name, not five lines: 120 of them read in a
        // few screens.
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            // Rank beside contributions, points beside share, under the name.
            waitUntil(() -> Boolean.TRUE.equals(js("const c = document.querySelectorAll("
                    + "'#leaderboard tbody tr:first-child td');"
                    + " const top = (i) => Math.round(c[i].getBoundingClientRect().top);"
                    + " return top(0) === top(2) && top(3) === top(4) && top(1) < top(0) && top(0) < top(3);")),
                    "a compact card on a phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 800));
        }

        // Its payout to 120 people without wallets: the first 100 lines, the reason they share said once above them
        // (held, or, once the shared chain has paid a later period, never paid), and a search through every line.
        long payout = Api.propose(epoch).getLong("id");
        JsonPath first = given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).extract().jsonPath();
        String reason = first.getString("lines[0].reason");
        assertThat(first.getList("lines.reason")).containsOnly(reason);
        open("#/proposals/" + payout);
        waitFor(By.id("payout-table"));
        By lines = By.cssSelector("#payout-table tbody tr");
        java.util.function.Supplier<List<WebElement>> shown = () -> driver.findElements(lines).stream()
                .filter(WebElement::isDisplayed).toList();
        assertThat(driver.findElements(lines)).as("rows are drawn as they are shown").hasSize(100);
        assertThat(shown.get()).hasSize(100);
        assertThat(text(By.id("line-reasons"))).isEqualTo(first.getString("lines[0].state") + " (120 lines): " + reason);
        assertThat(shown.get()).allSatisfy(row -> assertThat(row.getText()).doesNotContain(reason));
        WebElement search = driver.findElement(By.id("line-search"));
        String last = String.valueOf(ranked.get(people - 1)); // ranked last: a line past the first 100
        long matching = ranked.stream().map(String::valueOf).filter(n -> n.contains(last)).count();
        search.sendKeys(last);
        waitUntil(() -> shown.get().size() == matching, "the search to find the last line");
        assertThat(shown.get()).anySatisfy(row -> assertThat(row.getText()).contains(last));
        search.clear();
        search.sendKeys(" ");
        search.clear();
        waitUntil(() -> shown.get().size() == 100, "the first 100 lines again");
        click(driver.findElement(By.id("more-lines")));
        waitUntil(() -> shown.get().size() == people, "every line");
        assertThat(driver.findElement(By.id("more-lines")).isDisplayed()).isFalse();
        readable("long payout");
        // A maintainer withdraws the draft from its page, asked first.
        js("window.confirm = (m) => { window.asked = m; return true; }; return null");
        click(driver.findElement(By.id("withdraw-draft")));
        waitUntil(() -> text(By.id("flash")).contains("is withdrawn"), "the draft to be withdrawn");
        assertThat((String) js("return window.asked"))
                .startsWith("Withdraw payout #" + payout + "? It will never go on chain.");
        assertThat(given().get("/api/payout-proposals/{id}", payout).then().extract().jsonPath().getString("state"))
                .isEqualTo("withdrawn");

        // A search that finds more than it shows says so.
        open("#/?q=many");
        assertThat(waitFor(By.id("search-more")).getText()).startsWith("The first 50 matches of more");
        assertThat(driver.findElements(By.cssSelector("[aria-label='Contributors found'] li"))).hasSize(50);
    }

    private void open(String hash) {
        driver.get(base.toString() + hash);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void click(WebElement e) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private static String text(By by) {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText().strip();
    }

    private static WebElement waitFor(By by) {
        waitUntil(() -> !driver.findElements(by).isEmpty(), by.toString());
        return driver.findElement(by);
    }

    private static void waitUntil(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        save("timeout");
        throw new AssertionError("Timed out waiting for " + what + "; page says: " + text(By.tagName("body"))
                + " flash: " + text(By.id("flash")), last);
    }

    /**
     * axe-core (the accessibility engine of browser audits, from npm, installed with the dashboard's dev
     * dependencies) on the current page: no serious or critical WCAG 2 A/AA violations.
     */
    @SuppressWarnings("unchecked")
    private static void accessible(String page) throws IOException {
        if (js("return typeof window.axe") .equals("undefined")) {
            js(Files.readString(Path.of("src/main/web/node_modules/axe-core/axe.min.js")) + "; return null");
        }
        Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
                        + ".then(r => done({violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        + ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' x, e.g. ' + v.nodes[0].html.slice(0, 120) + ')')}))"
                        + ".catch(e => done({violations: ['axe failed: ' + e]}));");
        assertThat((List<String>) result.get("violations")).as("accessibility of the " + page + " page").isEmpty();
    }

    /**
     * Words no person should read: a missing value printed, or a raw code of the API's enums (or of the contribution
     * types: "perf" for "performance"; the other type codes are words, and commit titles that start with them are shown).
     */
    private static final java.util.regex.Pattern UNREADABLE = java.util.regex.Pattern.compile(
            "\\b(null|undefined|NaN|nullnull|perf)\\b|\\b(BELOW_MINIMUM|BOT_EXCLUDED|ZERO_SCORE|CAPPED|UNPAID|PAID|DRAFT|PENDING|"
                    + "CONFIRMED|FAILED|SENT|PROPOSE|EXECUTE|QUEUE|FORGE_LOGIN|EMAIL|WALLET|SCORE|LINES|MULTIPLY)\\b");

    /**
     * Screenshots of the page at desktop (1280 × 800) and phone (390 × 844) widths under target/screenshots; at both,
     * no text a person cannot read, and at the phone's no horizontal scrolling.
     */
    private static void shot(String name) {
        try {
            readable(name);
            save(name);
            driver.manage().window().setSize(new Dimension(390, 844));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!(Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth + 1")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            save(name + "-phone");
            assertThat((String) js("const w = window.innerWidth; return [...document.querySelectorAll('body *')]"
                    + ".filter(e => e.getBoundingClientRect().right > w + 1 && e.getClientRects().length)"
                    + ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + 'px').join(', ')"))
                    .as("elements of the " + name + " page wider than a 390 px phone").isEmpty();
            assertThat((String) js(SMALL_TARGETS)).as("controls of the " + name + " page under 24 px on a phone")
                    .isEmpty();
            readable(name + " (phone)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    /**
     * Controls a finger must hit on a phone, under WCAG 2.2's 24 px (2.5.8, target size minimum): buttons, menus,
     * fields, a Details summary, a link alone in a table cell or a navigation (a link inside a sentence is exempt).
     */
    private static final String SMALL_TARGETS = "return [...document.querySelectorAll('button, select, input, summary, "
            + "nav a, td > a:only-child')].filter(e => e.getClientRects().length && getComputedStyle(e).visibility "
            + "!== 'hidden').map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.height < 24 || r.width < 24)"
            + ".slice(0, 8).map(([e, r]) => e.tagName + '.' + e.className + ' [' + (e.innerText || e.value || '')"
            + ".slice(0, 20) + '] ' + Math.round(r.width) + 'x' + Math.round(r.height)).join(', ')";

    private static void save(String name) {
        try {
            File png = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void readable(String page) {
        String shown = (String) js("return document.body.innerText");
        java.util.regex.Matcher m = UNREADABLE.matcher(shown);
        assertThat(m.find() ? shown.substring(Math.max(0, m.start() - 60), Math.min(shown.length(), m.end() + 60)) : "")
                .as("text a person cannot read on the " + page + " page").isEmpty();
    }

    /** The contributor the search finds first for {@code email}. */
    private static long contributorByEmail(String email) {
        return given().queryParam("q", email).get("/api/contributors").then().statusCode(200).extract().jsonPath()
                .getLong("[0].id");
    }

    /** Sets the type factor of {@code contribution} in {@code run} to 0.123456, below any type's weight; its type. */
    String payAsIfUnsure(long run, long contribution) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            dev.merit.scoring.ContributionScore score = dev.merit.scoring.ContributionScore.<dev.merit.scoring.ContributionScore>find(
                    "runId = ?1 and contributionId = ?2", run, contribution).firstResult();
            var factors = (com.fasterxml.jackson.databind.node.ArrayNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(score.factors);
            factors.forEach(f -> {
                if ("type".equals(f.path("name").asText())) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) f).put("value", "0.123456");
                }
            });
            score.factors = factors.toString();
            return score.contributionType;
        });
    }

    /** As an older rule stored it: a person (the review list then shows it). */
    @jakarta.transaction.Transactional
    void countAsPerson(long contributor) {
        dev.merit.contributor.Contributor.update("bot = false where id = ?1", contributor);
    }

    @jakarta.transaction.Transactional
    void forgeLogin(long contributor, String login) {
        dev.merit.contributor.Identity.of(contributor, dev.merit.contributor.Identity.Kind.FORGE_LOGIN, login,
                dev.merit.contributor.Identity.LinkedBy.COMMIT).persist();
    }

}
