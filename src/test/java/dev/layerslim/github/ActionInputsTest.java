package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.Files;
import dev.layerslim.testing.ActionEnv;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionInputsTest {
  @TempDir Path ws;

  Map<String, String> env(String... kv) {
    return ActionEnv.of(ws, kv);
  }

  @Test
  void envName_upperCasesAndKeepsHyphens() {
    assertEquals("INPUT_PRUNE-UNUSED", ActionInputs.envName("prune-unused"));
    assertEquals("INPUT_GITHUB-TOKEN", ActionInputs.envName("github-token"));
  }

  @Test
  void commentKey_fromTheKeyInput_elseTheOutputDir_elseTheRequirementsPath() {
    assertEquals("api", new ActionInputs(env("comment-key", "api", "output-dir", "out")).commentKey());
    assertEquals("layers/geo", new ActionInputs(env("output-dir", "layers/geo")).commentKey());
    assertEquals("svc/requirements.txt", new ActionInputs(env("requirements", "svc/requirements.txt")).commentKey());
    assertFalse(new ActionInputs(env("output-dir", "x-->y")).commentKey().contains("-->"));
    // a comment-key an artifact cannot be named after is refused (see CommentKeyTest)
    assertThrows(LayerslimException.class, () -> new ActionInputs(env("comment-key", "x-->y")).commentKey());
  }

  @Test
  void secrets_areTheTokensInsideIndexUrls_rawAndDecoded_andNothingElse() {
    ActionInputs in = new ActionInputs(env("index-url", "https://__token__:pypi-AgEIcHlwaS5vcmc@pypi.example.com/simple",
        "extra-index-url", "https://ghp_only0token0here@git.example.com/simple\nhttps://public.example.com/simple",
        "pip-args", "--extra-index-url=https://user:p%40ss%2Fw0rd@idx.example.com/simple -f https://x.example.com",
        "github-token", "ghs_notAnIndexSecret"));

    assertTrue(in.secrets().containsAll(List.of("pypi-AgEIcHlwaS5vcmc", "ghp_only0token0here", "p%40ss%2Fw0rd",
        "p@ss/w0rd")), in.secrets().toString());
    assertFalse(in.secrets().contains("ghs_notAnIndexSecret"));
    assertFalse(in.secrets().stream().anyMatch(s -> s.contains("__token__") || s.contains("example")),
        in.secrets().toString());
    assertEquals(List.of(), new ActionInputs(env("index-url", "https://pypi.example.com/simple")).secrets());
  }

  @Test
  void secrets_everyIndexUrlForm_inInputsPipEnvAndTheRequirementsFiles() throws IOException {
    Files.createDirectories(ws.resolve("req"));
    Files.writeString(ws.resolve("req/base.txt"), "--index-url https://InBaseFile1x:@idx.example.com/simple\nsix\n");
    Files.writeString(ws.resolve("r.txt"), "-r req/base.txt\n--extra-index-url=https://x.example.com/s?Access_Token=Acc2x\n");
    Map<String, String> e = env("requirements", "r.txt",
        "index-url", "http://UserOnly3x:@idx.example.com/simple",
        "extra-index-url", "https://idx.example.com/simple?token=Qry4x&page=2;api-key=Key5x#frag",
        "pip-args", "-i https://u:Pw6x@h.example.com/simple -f 'https://h.example.com/l?X-Amz-Signature=Sig7x'");
    e.put("PIP_EXTRA_INDEX_URL", "https://Env8x@env.example.com/simple https://env.example.com/s?password=Env9x");
    e.put("PIP_FIND_LINKS", "https://links.example.com/?secret=Env10x");
    List<String> s = new ActionInputs(e).secrets();
    for (String secret : List.of("InBaseFile1x", "Acc2x", "UserOnly3x", "Qry4x", "Key5x", "Pw6x", "Sig7x", "Env8x",
        "Env9x", "Env10x")) {
      assertTrue(s.contains(secret), secret + " not in " + s);
    }
    assertFalse(s.contains("2") || s.contains("page") || s.contains("frag"), s.toString());
  }

  @Test
  void words_splitOnWhiteSpace_andQuotesKeepSpaces() {
    assertEquals(List.of("-c", "a b.txt", "--pre", "x=y z"), ActionInputs.words(" -c 'a b.txt'\n\t--pre x=\"y z\" "));
    assertEquals(List.of(), ActionInputs.words(null));
  }
}
