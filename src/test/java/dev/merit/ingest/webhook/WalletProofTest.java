package dev.merit.ingest.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merit.contributor.Contributor;
import dev.merit.contributor.Identity;
import dev.merit.contributor.Wallets;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.support.PostgresResource;
import dev.merit.web.SiweTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

/**
 * "This is me": a signed message proves who holds a wallet, not who a contributor is. The wallet is linked only when
 * the claim's code is posted by a forge account that already is the contributor's, as the forge's authenticated
 * webhook delivers it; another account, or one that only shares the contributor's display name, links nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WalletProofTest {

    private static final Credentials WALLET = Credentials.create("0x" + "33".repeat(32)); // throwaway test keys
    private static final Credentials INTRUDER = Credentials.create("0x" + "44".repeat(32));
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);

    @TestHTTPResource("/")
    URL base;

    @Inject
    Wallets wallets;

    @Inject
    dev.merit.contributor.WalletClaims claims;

    @Test
    void aClaimedWalletIsLinkedOnlyWhenTheContributorsOwnForgeAccountPostsItsCode() {
        // Ada is known to Merit by her GitHub account: she commented before.
        String login = "ada-proof-" + IDS.incrementAndGet();
        comment(login, "Looks good to me.").body("outcome", org.hamcrest.Matchers.equalTo("stored"));
        long ada = contributorOf("github:" + login);

        JsonPath claim = signIn(WALLET, ada).statusCode(200).body("linkedWallet", nullValue())
                .body("contributorId", nullValue()).extract().jsonPath();
        String code = claim.getString("walletClaim.code");
        assertThat(code).matches("merit-link-[A-Z2-9]{12}");
        assertThat(claim.getList("walletClaim.proveFrom")).containsExactly("github:" + login);
        assertThat(wallets.of(ada)).isEmpty();
        // Asking again while it is open gives the same code.
        assertThat(signIn(WALLET, ada).statusCode(200).extract().jsonPath().getString("walletClaim.code")).isEqualTo(code);

        // Someone else claims Ada too, and posts their code from their own account: nothing is linked.
        String intruderCode = signIn(INTRUDER, ada).statusCode(200).extract().jsonPath().getString("walletClaim.code");
        comment("eve-proof-" + IDS.incrementAndGet(), "verifying " + intruderCode)
                .body("detail", containsString("which is not an account of "))
                .body("detail", containsString("(contributor #" + ada + ")"));
        // Posting Ada's code from another account does not prove it either.
        comment("eve-proof-" + IDS.incrementAndGet(), code).body("detail", containsString("not linked"));
        assertThat(wallets.of(ada)).isEmpty();

        // Ada posts it (in any case, inside other text): her wallet is linked, and only hers.
        comment(login, "Linking my payout wallet: " + code.toLowerCase() + ".")
                .body("detail", containsString("linked to ")).body("detail", containsString("(contributor #" + ada + ")"));
        assertThat(wallets.of(ada)).contains(Keys.toChecksumAddress(WALLET.getAddress()));
        comment(login, "again " + code).body("detail", containsString("already linked"));
        // The intruder's claim can no longer be proven, even by Ada's account: she has a wallet.
        comment(login, intruderCode).body("detail", containsString("refused"));
        assertThat(wallets.of(ada)).contains(Keys.toChecksumAddress(WALLET.getAddress()));

        // Signed in again with the wallet: it is reported linked and the session is Ada's.
        signIn(WALLET, ada).statusCode(200).body("linkedWallet", org.hamcrest.Matchers.equalTo(
                Keys.toChecksumAddress(WALLET.getAddress()))).body("walletClaim", nullValue())
                .body("contributorId", org.hamcrest.Matchers.equalTo((int) ada));
    }

    @Test
    void anAccountThatOnlySharesTheContributorsNameProvesNothing() throws Exception {
        // Lin is known by her commits only. A GitLab account under her full name comments: identity resolution joins it
        // to her by the name, and says so; its posting her claim's code links nothing.
        String name = "Lin Proof " + IDS.incrementAndGet();
        long lin = gitContributor(name);
        Credentials lins = Credentials.create("0x" + "55".repeat(32));
        JsonPath claim = signIn(lins, lin).statusCode(200).extract().jsonPath();
        assertThat(claim.getList("walletClaim.proveFrom")).isEmpty();
        String code = claim.getString("walletClaim.code");

        ObjectNode note = (ObjectNode) new ObjectMapper().readTree(GitLabAndJiraWebhookTest.fixture("gitlab/note_on_merge_request.json"));
        ((ObjectNode) note.get("user")).put("name", name).put("username", "mallory-" + IDS.incrementAndGet())
                .put("id", IDS.incrementAndGet()).remove("email");
        ((ObjectNode) note.get("object_attributes")).put("id", IDS.incrementAndGet()).put("note", "hi " + code);
        GitLabAndJiraWebhookTest.gitlab("Note Hook", note.toString().getBytes(StandardCharsets.UTF_8),
                        "test-gitlab-token-not-a-real-one", UUID.randomUUID().toString())
                .statusCode(200).body("detail", containsString("only its display name matches"));
        assertThat(wallets.of(lin)).isEmpty();
        assertThat(linkedBy("gitlab:" + note.get("user").get("username").asText())).isEqualTo(Identity.LinkedBy.SAME_NAME);

        // Without a forge account Merit knows, a maintainer proves it: the claim is listed (merit wallet --claims).
        assertThat(claims.open()).anySatisfy(c -> {
            assertThat(c.contributorId()).isEqualTo(lin);
            assertThat(c.address()).isEqualTo(Keys.toChecksumAddress(lins.getAddress()));
            assertThat(c.proveFrom()).isEmpty();
        });
    }

    @Test
    void aNameTakenFirstOnAForgeDoesNotTakeTheCommitsOfItsOwner() throws Exception {
        // Mallory gives her GitLab account a newcomer's full name and comments before the newcomer's commits arrive.
        String name = "Nia Newcomer " + IDS.incrementAndGet();
        String mallory = "mallory-" + IDS.incrementAndGet();
        ObjectNode note = (ObjectNode) new ObjectMapper().readTree(GitLabAndJiraWebhookTest.fixture("gitlab/note_on_merge_request.json"));
        ((ObjectNode) note.get("user")).put("name", name).put("username", mallory).put("id", IDS.incrementAndGet())
                .remove("email");
        ((ObjectNode) note.get("object_attributes")).put("id", IDS.incrementAndGet()).put("note", "first!");
        GitLabAndJiraWebhookTest.gitlab("Note Hook", note.toString().getBytes(StandardCharsets.UTF_8),
                "test-gitlab-token-not-a-real-one", UUID.randomUUID().toString()).statusCode(200);
        long squatter = contributorOf(Identity.Kind.FORGE_LOGIN, "gitlab:" + mallory);

        // Nia's commits, under her name and her own e-mail: they are hers, not the account's that took the name first.
        String email = "nia" + IDS.incrementAndGet() + "@newcomer.example";
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-squat-" + IDS.get(), Instant.parse("2024-03-01T00:00:00Z"));
        r.write("n.c", "int n;\n").commit("feat: n", name, email);
        dev.merit.support.Api.ingest(r);
        long nia = contributorOf(Identity.Kind.GIT_EMAIL, email);
        assertThat(nia).as("the commits start a contributor of their own").isNotEqualTo(squatter);
        // The pair is for a maintainer to check.
        assertThat(given().get("/api/contributors/merge-suggestions").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("")).anySatisfy(sg -> assertThat(java.util.Set.of(
                        ((Number) ((Map<?, ?>) sg.get("into")).get("id")).longValue(),
                        ((Number) ((Map<?, ?>) sg.get("from")).get("id")).longValue())).isEqualTo(java.util.Set.of(nia, squatter)));
    }

    @Transactional
    long contributorOf(Identity.Kind kind, String handle) {
        return Identity.<Identity>find("kind = ?1 and handle = ?2", kind, handle).firstResult().contributorId;
    }

    @Test
    void anEmailWrittenIntoAForgePayloadProvesNothing() throws Exception {
        // Kim is known by her commits (e-mail kim...@proof.example). A GitLab user puts Kim's e-mail on his profile
        // (GitLab lets anyone type any address there) and posts Kim's claim code: the e-mail is not the forge's word
        // on who he is, so his account is not Kim's and the wallet is not linked.
        long kim = gitContributor("Kim Proof " + IDS.incrementAndGet());
        String kimsEmail = "lin" + kim + "@proof.example";
        Credentials mallorys = Credentials.create("0x" + "66".repeat(32)); // a throwaway test key
        String code = signIn(mallorys, kim).statusCode(200).extract().jsonPath().getString("walletClaim.code");

        ObjectNode note = (ObjectNode) new ObjectMapper().readTree(GitLabAndJiraWebhookTest.fixture("gitlab/note_on_merge_request.json"));
        String username = "mallory-" + IDS.incrementAndGet();
        ((ObjectNode) note.get("user")).put("name", "Mallory").put("username", username).put("id", IDS.incrementAndGet())
                .put("email", kimsEmail);
        ((ObjectNode) note.get("object_attributes")).put("id", IDS.incrementAndGet()).put("note", "it's me " + code);
        GitLabAndJiraWebhookTest.gitlab("Note Hook", note.toString().getBytes(StandardCharsets.UTF_8),
                        "test-gitlab-token-not-a-real-one", UUID.randomUUID().toString())
                .statusCode(200).body("detail", containsString("which is not an account of ")).body("detail", containsString("(contributor #" + kim + ")"));
        assertThat(wallets.of(kim)).isEmpty();
        assertThat(contributorOf("gitlab:" + username)).isNotEqualTo(kim);
    }

    @Test
    void aCodeInSomeoneElsesWordsProvesNothing() throws Exception {
        // Val is known to Merit by her GitLab account: she commented before.
        String val = "val-proof-" + IDS.incrementAndGet();
        long valsId = IDS.incrementAndGet();
        gitlab(gitlabNote("Val Proof", val, valsId, "Looks good.")).body("outcome", org.hamcrest.Matchers.equalTo("stored"));
        long v = contributorOf("gitlab:" + val);
        Credentials thief = Credentials.create("0x" + "77".repeat(32)); // a throwaway test key
        String code = signIn(thief, v).statusCode(200).extract().jsonPath().getString("walletClaim.code");

        // The thief opens a merge request whose description holds the code; Val merges it. The merge event names Val
        // as who acted, but the words are the thief's: nothing is linked (and the merge request is not Val's work).
        gitlab(gitlabMerge("Val Proof", val, valsId, valsId + 1, "Please merge. " + code)).body("detail", org.hamcrest.Matchers.not(containsString("linked")));
        assertThat(wallets.of(v)).isEmpty();

        // Val quotes the thief's comment that holds the code in her reply: the quoted line is still the thief's.
        gitlab(gitlabNote("Val Proof", val, valsId, "> my wallet code: " + code + "\n\nNo, I will not post that.")).body("outcome", org.hamcrest.Matchers.equalTo("stored"));
        assertThat(wallets.of(v)).isEmpty();
    }

    /**
     * A login can change hands: Ada renames her GitHub account, and someone else registers her old login. Merit knew
     * the login's account by its id, which never changes, so a code posted under that login by another account proves
     * nothing (and the first account still can).
     */
    @Test
    void aLoginTakenOverAfterARenameProvesNothing() {
        String login = "ada-renamed-" + IDS.incrementAndGet();
        long adasAccount = IDS.incrementAndGet();
        ObjectNode hello = GitHubWebhookTest.comment(1, IDS.incrementAndGet(), "2026-11-01T10:00:00Z", login, "Hi.");
        ((ObjectNode) hello.get("comment").get("user")).put("id", adasAccount);
        GitHubWebhookTest.post("issue_comment", hello).statusCode(200);
        long ada = contributorOf("github:" + login);
        Credentials newcomer = Credentials.create("0x" + "aa".repeat(32)); // a throwaway test key
        String code = signIn(newcomer, ada).statusCode(200).extract().jsonPath().getString("walletClaim.code");

        ObjectNode takenOver = GitHubWebhookTest.comment(1, IDS.incrementAndGet(), "2026-11-02T10:00:00Z", login,
                "Linking: " + code);
        ((ObjectNode) takenOver.get("comment").get("user")).put("id", adasAccount + 1);
        GitHubWebhookTest.post("issue_comment", takenOver).statusCode(200)
                .body("detail", containsString("which is not an account of"));
        assertThat(wallets.of(ada)).isEmpty();
        // Nor is the newcomer's work Ada's: credit follows the account, and the newcomer is a contributor of their own.
        long newcomerId = contributorOf("github:" + login + "#" + (adasAccount + 1));
        assertThat(newcomerId).isNotEqualTo(ada);
        // Ada, under her new login, is still Ada.
        ObjectNode renamed = GitHubWebhookTest.comment(1, IDS.incrementAndGet(), "2026-11-02T11:00:00Z",
                login + "-new", "Renamed.");
        ((ObjectNode) renamed.get("comment").get("user")).put("id", adasAccount);
        GitHubWebhookTest.post("issue_comment", renamed).statusCode(200);
        assertThat(contributorOf("github:" + login + "-new")).isEqualTo(ada);
        // Git commits say the account too, in GitHub's noreply address: the newcomer's are theirs, Ada's are Ada's.
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-taken-" + login,
                Instant.parse("2026-11-05T00:00:00Z"));
        r.write("a.txt", "a\n").commit("feat: a", "Someone New", (adasAccount + 1) + "+" + login
                + "@users.noreply.github.com");
        r.write("b.txt", "b\n").commit("feat: b", "Ada Again", adasAccount + "+" + login
                + "-new@users.noreply.github.com");
        dev.merit.support.Api.ingest(r);
        assertThat(contributorOf(Identity.Kind.GIT_EMAIL, (adasAccount + 1) + "+" + login
                + "@users.noreply.github.com")).isEqualTo(newcomerId);
        assertThat(contributorOf(Identity.Kind.GIT_EMAIL, adasAccount + "+" + login + "-new@users.noreply.github.com"))
                .isEqualTo(ada);
        // The newcomer proves a wallet of their own with their own account, under the login they took.
        Credentials theirs = Credentials.create("0x" + "ab".repeat(32)); // a throwaway test key
        String own = signIn(theirs, newcomerId).statusCode(200).extract().jsonPath().getString("walletClaim.code");
        ObjectNode proving = GitHubWebhookTest.comment(1, IDS.incrementAndGet(), "2026-11-02T12:00:00Z", login, own);
        ((ObjectNode) proving.get("comment").get("user")).put("id", adasAccount + 1);
        GitHubWebhookTest.post("issue_comment", proving).statusCode(200)
                .body("detail", containsString("(contributor #" + newcomerId + ")"));

        // The account Merit knew may still post it (had Ada signed in with that wallet herself).
        ObjectNode adas = GitHubWebhookTest.comment(1, IDS.incrementAndGet(), "2026-11-03T10:00:00Z", login, code);
        ((ObjectNode) adas.get("comment").get("user")).put("id", adasAccount);
        GitHubWebhookTest.post("issue_comment", adas).statusCode(200)
                .body("detail", containsString("(contributor #" + ada + ")"));
    }

    /**
     * A pull request's description when it is merged is what it became: anyone with write access may have edited it
     * since its author opened it. A code written into Ada's description by a collaborator proves nothing, on GitHub and
     * on GitLab; the description she opened it with does.
     */
    @Test
    void aDescriptionReadAtMergeProvesNothing() throws Exception {
        String login = "ada-merge-" + IDS.incrementAndGet();
        comment(login, "Hello.").body("outcome", org.hamcrest.Matchers.equalTo("stored"));
        long ada = contributorOf("github:" + login);
        Credentials collaborator = Credentials.create("0x" + "88".repeat(32)); // a throwaway test key
        String code = signIn(collaborator, ada).statusCode(200).extract().jsonPath().getString("walletClaim.code");

        int number = (int) (IDS.incrementAndGet() % 1_000_000);
        ObjectNode merged = GitHubWebhookTest.example("pull_request", "closed");
        ObjectNode pr = (ObjectNode) merged.get("pull_request");
        pr.put("number", number).put("merged", true).put("body", "Refactors the parser. " + code);
        ((ObjectNode) pr.get("user")).put("login", login).put("id", login.hashCode() & 0xffffff);
        GitHubWebhookTest.post("pull_request", merged).statusCode(200)
                .body("detail", org.hamcrest.Matchers.not(containsString("linked")));
        assertThat(wallets.of(ada)).isEmpty();

        // Opened by Ada with the code in her own description: that is her word.
        ObjectNode opened = GitHubWebhookTest.example("pull_request", "opened");
        ObjectNode own = (ObjectNode) opened.get("pull_request");
        own.put("number", number + 1).put("body", "My wallet: " + code);
        ((ObjectNode) own.get("user")).put("login", login).put("id", login.hashCode() & 0xffffff);
        GitHubWebhookTest.post("pull_request", opened).statusCode(200)
                .body("detail", containsString("(contributor #" + ada + ")"));

        // GitLab: the author merges her own merge request after a Developer edited its description.
        String val = "val-merge-" + IDS.incrementAndGet();
        long valsId = IDS.incrementAndGet();
        gitlab(gitlabNote("Val Merge", val, valsId, "Hi.")).body("outcome", org.hamcrest.Matchers.equalTo("stored"));
        long v = contributorOf("gitlab:" + val);
        Credentials developer = Credentials.create("0x" + "99".repeat(32)); // a throwaway test key
        String valCode = signIn(developer, v).statusCode(200).extract().jsonPath().getString("walletClaim.code");
        gitlab(gitlabMerge("Val Merge", val, valsId, valsId, "Edited: " + valCode)).body("detail", org.hamcrest.Matchers.not(containsString("linked")));
        assertThat(wallets.of(v)).isEmpty();
    }

    /** GitLab's note on a merge request, written by the account {@code username} (id {@code accountId}). */
    private static ObjectNode gitlabNote(String name, String username, long accountId, String note) throws Exception {
        ObjectNode p = (ObjectNode) new ObjectMapper().readTree(GitLabAndJiraWebhookTest.fixture("gitlab/note_on_merge_request.json"));
        ((ObjectNode) p.get("user")).put("name", name).put("username", username).put("id", accountId).remove("email");
        ((ObjectNode) p.get("object_attributes")).put("id", IDS.incrementAndGet()).put("note", note);
        return p;
    }

    /** A new merge request of {@code authorId}, merged by the account {@code username} (id {@code accountId}). */
    private static ObjectNode gitlabMerge(String name, String username, long accountId, long authorId, String description)
            throws Exception {
        ObjectNode p = (ObjectNode) new ObjectMapper().readTree(GitLabAndJiraWebhookTest.fixture("gitlab/merge_request_open.json"));
        ((ObjectNode) p.get("user")).put("name", name).put("username", username).put("id", accountId).remove("email");
        ((ObjectNode) p.get("object_attributes")).put("action", "merge").put("author_id", authorId)
                .put("id", IDS.incrementAndGet()).put("iid", IDS.incrementAndGet()).put("description", description);
        return p;
    }

    private static io.restassured.response.ValidatableResponse gitlab(ObjectNode payload) {
        String event = payload.path("object_kind").asText().equals("note") ? "Note Hook" : "Merge Request Hook";
        return GitLabAndJiraWebhookTest.gitlab(event, payload.toString().getBytes(StandardCharsets.UTF_8),
                "test-gitlab-token-not-a-real-one", UUID.randomUUID().toString()).statusCode(200);
    }

    private io.restassured.response.ValidatableResponse comment(String login, String text) {
        return GitHubWebhookTest.post("issue_comment", GitHubWebhookTest.comment(1, IDS.incrementAndGet(),
                "2026-11-01T10:00:00Z", login, text)).statusCode(200);
    }

    private io.restassured.response.ValidatableResponse signIn(Credentials who, long contributor) {
        String nonce = given().post("/api/auth/nonce").then().statusCode(200).extract().jsonPath().getString("nonce");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String host = base.getHost() + ":" + base.getPort();
        String message = SiweTest.message(host, Keys.toChecksumAddress(who.getAddress()), "http://" + host,
                AnvilNode.CHAIN_ID, nonce, now, now.plusSeconds(600), "urn:merit:contributor:" + contributor);
        return given().contentType(ContentType.JSON).body(Map.of("message", message,
                "signature", SiweTest.sign(message, who))).post("/api/auth/siwe").then();
    }

    @Transactional
    long contributorOf(String login) {
        return Identity.<Identity>find("kind = ?1 and handle = ?2", Identity.Kind.FORGE_LOGIN, login).firstResult()
                .contributorId;
    }

    @Transactional
    Identity.LinkedBy linkedBy(String login) {
        return Identity.<Identity>find("kind = ?1 and handle = ?2", Identity.Kind.FORGE_LOGIN, login).firstResult()
                .linkedBy;
    }

    @Transactional
    long gitContributor(String name) {
        Contributor c = new Contributor();
        c.displayName = name;
        c.normalizedName = name.toLowerCase();
        c.createdAt = Instant.now();
        c.persist();
        Identity.of(c.id, Identity.Kind.GIT_EMAIL, "lin" + c.id + "@proof.example", Identity.LinkedBy.COMMIT).persist();
        return c.id;
    }
}
