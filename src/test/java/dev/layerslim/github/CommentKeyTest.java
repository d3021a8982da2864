package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One function derives a layer's marker and its artifact name; distinct keys stay distinct. */
class CommentKeyTest {
  @Test
  void aKeyWithADoubleHyphen_namesTheArtifactAsWritten_andItsOwnMarker() {
    CommentKey k = CommentKey.checked("api--v2", "input comment-key");
    assertEquals("layerslim-api--v2", k.artifactName());
    assertEquals(CommentRenderer.marker("api--v2"), marker(k));
    assertEquals("layerslim-api--v2", BaselineFinder.artifactName("api--v2"));
    // and it is not the key api-_v2's
    assertNotEquals(marker(k), marker(CommentKey.checked("api-_v2", "input comment-key")));
  }

  @Test
  void distinctKeys_neverShareAMarker_whateverTheyHold() {
    List<String> keys = List.of("my app", "my_app", "my%20app", "my-app", "my--app", "my-_app", "a/b", "a_b",
        "a:b", "a<b", "a-->b", "app\n", "ü", "%C3%BC", "layer", "");
    Set<String> markers = new HashSet<>();
    Set<String> raws = new HashSet<>();
    for (String key : keys) {
      CommentKey k = CommentKey.of(key);
      if (raws.add(k.raw())) {
        assertTrue(markers.add(marker(k)), "two keys share the marker " + marker(k));
      }
      // the marker cannot end the HTML comment early nor hold a line break
      String inner = marker(k).substring("<!-- ".length(), marker(k).length() - " -->".length());
      assertTrue(!inner.contains("-->") && !inner.contains(">") && !inner.contains("\n"), marker(k));
    }
  }

  @Test
  void aChosenKeyNoArtifactNameKeeps_isRefusedNamingTheInput() {
    for (String key : List.of("my app", "api/v2", "a:b", "x*y", "tab\tkey")) {
      LayerslimException e = assertThrows(LayerslimException.class, () -> CommentKey.checked(key, "input comment-key"));
      assertEquals(LayerslimException.EXIT_USAGE, e.exitCode());
      assertTrue(e.getMessage().startsWith("input comment-key: '"), e.getMessage());
    }
    // a key from a path (the output folder) is never refused: its artifact name has _ for / as documented
    assertEquals("layerslim-build_layer-out", CommentKey.of("build/layer-out").artifactName());
    assertEquals(CommentRenderer.marker("build/layer-out"), marker(CommentKey.of("build/layer-out")));
  }

  /** The marker the CLI writes for {@code k}: its marker key inside {@link CommentRenderer#marker}. */
  private static String marker(CommentKey k) {
    return CommentRenderer.marker(k.markerKey());
  }
}
