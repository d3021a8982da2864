package dev.layerslim.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StickyCommentTest {
  static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(500));
  static final String MARKER = CommentRenderer.marker("layerslim-out");
  static final String REPO = GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;

  GitHubApiStub gh;

  @BeforeEach
  void start() {
    gh = new GitHubApiStub();
  }

  @AfterEach
  void stop() {
    gh.close();
  }

  StickyComment.Result upsert(String body) throws IOException {
    return GitHubSession.open(gh.baseUrl(), "ghs_test0123456789", FAST).stickyComment()
        .upsert(REPO, GitHubApiStub.PR, MARKER, body);
  }

  @Test
  void firstRunCreates_secondRunUpdatesTheSameCommentWithoutAnotherPost() throws Exception {
    gh.user(null).standard();
    StickyComment.Result first = upsert(MARKER + "\nfirst");
    assertEquals(StickyComment.Outcome.CREATED, first.outcome());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
    assertEquals("token ghs_test0123456789",
        gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0).getHeader("Authorization"));
    assertEquals(MARKER + "\nfirst",
        GitHubApiStub.body(gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0))
            .path("body").asText());

    long id = gh.addComment("github-actions[bot]", "Bot", MARKER + "\nfirst").path("id").asLong();
    gh.restub();
    StickyComment.Result second = upsert(MARKER + "\nsecond");
    assertEquals(StickyComment.Outcome.UPDATED, second.outcome());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(id)))));
    // the update carries the comment's own id, so a later run can tell it from a copy
    assertEquals(MARKER + "\n" + StickyComment.idMarker(id) + "\nsecond",
        GitHubApiStub.body(gh.requests(patchRequestedFor(urlPathEqualTo(gh.commentPath(id)))).get(0))
            .path("body").asText());
  }

  @Test
  void commentsByOtherUsersCarryingTheMarkerAreLeftAlone() throws Exception {
    gh.user(null).standard();
    long quoted = gh.addComment("octocat", "User", "> " + MARKER + "\nwhy is it this big?").path("id").asLong();
    long otherLayer = gh.addComment("github-actions[bot]", "Bot", CommentRenderer.marker("other-layer") + "\nx")
        .path("id").asLong();
    gh.restub();
    assertEquals(StickyComment.Outcome.CREATED, upsert(MARKER + "\nbody").outcome());
    assertEquals(0, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(quoted)))));
    assertEquals(0, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(otherLayer)))));
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
  }

  @Test
  void pagesThroughAllCommentsAndFindsTheMarkerOnPageTwo() throws Exception {
    gh.user(null).standard();
    for (int i = 0; i < 150; i++) {
      gh.addComment(i % 2 == 0 ? "reviewer" : "dependabot[bot]", i % 2 == 0 ? "User" : "Bot", "comment " + i);
    }
    long ours = gh.comments.get(120).path("id").asLong();
    gh.comments.set(120, gh.comment(ours, "github-actions[bot]", "Bot", MARKER + "\nold"));
    gh.restub();
    StickyComment.Result r = upsert(MARKER + "\nnew");
    assertEquals(StickyComment.Outcome.UPDATED, r.outcome(), r.message());
    assertEquals(1, gh.count(getRequestedFor(urlPathEqualTo(gh.commentsPath())).withQueryParam("page", equalTo("2"))));
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(ours)))));
    assertEquals(0, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
  }

  @Test
  void userToken_matchesCommentsByItsOwnLoginFromGetUser() throws Exception {
    gh.user("release-bot").standard();
    long bots = gh.addComment("github-actions[bot]", "Bot", MARKER + "\nby the actions bot").path("id").asLong();
    long mine = gh.addComment("release-bot", "User", MARKER + "\nby the PAT user").path("id").asLong();
    gh.restub();
    assertEquals(StickyComment.Outcome.UPDATED, upsert(MARKER + "\nnew").outcome());
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(mine)))));
    assertEquals(0, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(bots)))));
  }

  @Test
  void forbiddenCreate_failsWithAPermissionMessageAndNoRetry() throws Exception {
    gh.user(null).standard();
    gh.created(403);
    StickyComment.Result r = upsert(MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.FAILED, r.outcome());
    assertTrue(r.message().contains("no permission") && r.message().contains("HTTP 403"), r.message());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
  }

  @Test
  void secondaryRateLimitWithRetryAfter_isRetriedThenSucceeds() throws Exception {
    gh.user(null).standard();
    gh.server.stubFor(post(urlPathEqualTo(gh.commentsPath())).inScenario("limit")
        .whenScenarioStateIs(Scenario.STARTED).willReturn(GitHubApiStub.json(429,
            "{\"message\":\"You have exceeded a secondary rate limit.\"}").withHeader("Retry-After", "0"))
        .willSetStateTo("open"));
    gh.server.stubFor(post(urlPathEqualTo(gh.commentsPath())).inScenario("limit").whenScenarioStateIs("open")
        .willReturn(GitHubApiStub.json(201, gh.comment(42, "github-actions[bot]", "Bot", "b").toString())));
    StickyComment.Result r = upsert(MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.CREATED, r.outcome(), r.message());
    assertEquals(2, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
  }

  @Test
  void rateLimitResetFarAway_givesUpAtOnce() throws Exception {
    gh.user(null).standard();
    gh.server.stubFor(post(urlPathEqualTo(gh.commentsPath())).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"API rate limit exceeded\"}")
        .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "0")
        .withHeader("X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 + 1800))));
    StickyComment.Result r = upsert(MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.FAILED, r.outcome());
    assertTrue(r.message().contains("rate-limited"), r.message());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
  }

  @Test
  void serverErrors_areRetriedThreeTimesThenGivenUp() throws Exception {
    gh.user(null).standard();
    gh.server.stubFor(post(urlPathEqualTo(gh.commentsPath())).willReturn(GitHubApiStub.json(502,
        "{\"message\":\"Server Error\"}")));
    long start = System.nanoTime();
    StickyComment.Result r = upsert(MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.FAILED, r.outcome());
    assertTrue(r.message().contains("HTTP 502"), r.message());
    assertEquals(3, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "the fast policy keeps retries short");
  }

  @Test
  void appInstallationToken_updatesItsBotsCommentAndNeverAUsersComment() throws Exception {
    // GET /user is 403 for an App installation token too; its comments are by <app-slug>[bot]
    gh.user(null).standard();
    long users = gh.addComment("octocat", "User", MARKER + "\ncopied by hand").path("id").asLong();
    long apps = gh.addComment("my-app[bot]", "Bot", MARKER + "\nlast push").path("id").asLong();
    gh.restub();
    StickyComment.Result r = upsert(MARKER + "\nnew");
    assertEquals(StickyComment.Outcome.UPDATED, r.outcome(), r.message());
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(apps)))));
    assertEquals(0, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(users)))));
    assertEquals(0, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
  }

  @Test
  void unknownIdentity_aUsersCommentWithTheMarkerIsNeverTaken() throws Exception {
    gh.user(null).standard();
    long users = gh.addComment("octocat", "User", MARKER + "\nby a person").path("id").asLong();
    gh.restub();
    assertEquals(StickyComment.Outcome.CREATED, upsert(MARKER + "\nnew").outcome());
    assertEquals(0, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(users)))));
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
  }

  @Test
  void theCommentWhoseIdMarkerNamesItselfWins_overABotCopyOfItsText() throws Exception {
    gh.user(null).standard();
    ObjectNode copy = gh.addComment("other-app[bot]", "Bot", "");
    ObjectNode ours = gh.addComment("my-app[bot]", "Bot", "");
    long oursId = ours.path("id").asLong();
    ours.put("body", StickyComment.withId(MARKER + "\nold", oursId));
    copy.put("body", ours.path("body").asText()); // quotes our id, not its own
    gh.restub();
    assertEquals(StickyComment.Outcome.UPDATED, upsert(MARKER + "\nnew").outcome());
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(oursId)))));
    assertEquals(0, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(copy.path("id").asLong())))));
  }

  /** The comment list is empty until a POST arrives; from then on it holds the comment GitHub saved. */
  private long postSavedDespite(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder postAnswer) {
    ObjectNode saved = gh.comment(4242, "my-app[bot]", "Bot", MARKER + "\nbody");
    gh.server.stubFor(get(urlPathEqualTo(gh.commentsPath())).inScenario("post").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(GitHubApiStub.json(200, "[]")));
    gh.server.stubFor(post(urlPathEqualTo(gh.commentsPath())).inScenario("post")
        .whenScenarioStateIs(Scenario.STARTED).willReturn(postAnswer).willSetStateTo("saved"));
    gh.server.stubFor(get(urlPathEqualTo(gh.commentsPath())).inScenario("post").whenScenarioStateIs("saved")
        .willReturn(GitHubApiStub.json(200, "[" + saved + "]")));
    gh.server.stubFor(patch(urlPathEqualTo(gh.commentPath(4242))).willReturn(GitHubApiStub.json(200,
        saved.toString())));
    return 4242;
  }

  @Test
  void post502ThatGitHubSaved_isFoundByListingAgain_notPostedTwice() throws Exception {
    gh.user(null).standard();
    long id = postSavedDespite(GitHubApiStub.json(502, "{\"message\":\"Server Error\"}"));
    StickyComment.Result r = upsert(MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.CREATED, r.outcome(), r.message());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), "no second POST");
    assertEquals(2, gh.count(getRequestedFor(urlPathEqualTo(gh.commentsPath()))), "listed again after the 502");
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(id)))));
    assertEquals(1, gh.count(getRequestedFor(urlPathEqualTo("/user"))), "GET /user once");
  }

  @Test
  void postTimeoutThatGitHubSaved_isFoundByListingAgain_notPostedTwice() throws Exception {
    gh.user(null).standard();
    long id = postSavedDespite(GitHubApiStub.json(201, "{}").withFixedDelay(3_000));
    long start = System.nanoTime();
    StickyComment.Result r = GitHubSession.open(gh.baseUrl(), "ghs_test0123456789", FAST_SHORT).stickyComment()
        .upsert(REPO, GitHubApiStub.PR, MARKER, MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.CREATED, r.outcome(), r.message());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), "no second POST");
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(id)))));
    assertTrue(System.nanoTime() - start < 2_500_000_000L, "waited for the slow POST's answer");
  }

  /** The fast policy with timeouts of 500 ms to connect and 300 ms for an answer. */
  static final RetryPolicy FAST_SHORT = new RetryPolicy(FAST.attempts(), FAST.firstDelay(), FAST.maxTotal(),
      new GitHubHttp.Timeouts(Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(2)));

  @Test
  void anApiThatNeverAnswers_failsWithinTheReadTimeouts_notHangs() throws Exception {
    gh.user(null).standard();
    gh.server.stubFor(get(urlPathEqualTo("/user")).willReturn(GitHubApiStub.json(200, "{}").withFixedDelay(20_000)));
    long start = System.nanoTime();
    StickyComment.Result r = GitHubSession.open(gh.baseUrl(), "ghs_test0123456789", FAST_SHORT).stickyComment()
        .upsert(REPO, GitHubApiStub.PR, MARKER, MARKER + "\nbody");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(StickyComment.Outcome.FAILED, r.outcome());
    assertTrue(r.message().contains("did not answer in time"), r.message());
    // three tries of 300 ms and two short back-offs, far from the stub's 20 s
    assertTrue(ms < 5_000, ms + " ms");
  }

  @Test
  void expiredToken401_saysTheTokenIsInvalid_notAForksToken() throws Exception {
    gh.standard();
    gh.server.stubFor(get(urlPathEqualTo("/user")).willReturn(GitHubApiStub.json(401,
        "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"401\"}")));
    StickyComment.Result r = upsert(MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.FAILED, r.outcome());
    assertTrue(r.message().contains("HTTP 401") && r.message().contains("invalid or expired"), r.message());
    assertFalse(r.message().contains("fork"), r.message());
  }

  @Test
  void refusedConnection_saysSoInWords_notHttpMinusOne() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StickyComment.Result r = GitHubSession.open("http://127.0.0.1:" + port, "ghs_test0123456789", FAST_SHORT)
        .stickyComment().upsert(REPO, GitHubApiStub.PR, MARKER, MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.FAILED, r.outcome());
    assertTrue(r.message().contains("could not connect"), r.message());
    assertFalse(r.message().contains("-1"), r.message());
  }

  @Test
  void malformedJson_saysTheAnswerWasNotJson() throws Exception {
    gh.standard();
    gh.server.stubFor(get(urlPathEqualTo("/user")).willReturn(GitHubApiStub.json(200, "<html>proxy login</html>")));
    StickyComment.Result r = upsert(MARKER + "\nbody");
    assertEquals(StickyComment.Outcome.FAILED, r.outcome());
    assertTrue(r.message().contains("not the JSON"), r.message());
  }

  @Test
  void defaultPolicy_waitsAtMostTenSecondsInAll() {
    RetryPolicy p = RetryPolicy.DEFAULT;
    long total = 0;
    for (int next = 2; next <= p.attempts(); next++) {
      total += p.backoff(next).toMillis();
    }
    assertTrue(total <= p.maxTotal().toMillis() && p.maxTotal().toSeconds() <= 10, "total " + total);
  }
}
