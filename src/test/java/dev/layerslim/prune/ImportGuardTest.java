package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportGuardTest {
  @TempDir Path tmp;

  @Test
  void build_keepsDocsAndTestsImportedAtRuntimeAndDropsTestsNothingImports() throws Exception {
    Path wheels = tmp.resolve("wheels");
    // like botocore: runtime code imports its own docs (which import examples) and tests
    Wheels.wheel("svc", "1.0")
        .file("svc/__init__.py", "")
        .file("svc/client.py", "from svc.docs import describe\n")
        .file("svc/docs/__init__.py", "from ..examples.sample import SAMPLE\n\n\ndef describe():\n"
            + "    return 'docs:' + SAMPLE\n")
        .file("svc/examples/__init__.py", "")
        .file("svc/examples/sample.py", "SAMPLE = 'ok'\n")
        .file("svc/util.py", "def load():\n    from . import tests\n    return tests.FIXTURE\n")
        .file("svc/tests/__init__.py", "FIXTURE = 42\n")
        .file("svc/benchmarks/run.py", "import svc.client\n")
        .build(wheels);
    // tests only pytest reaches (through conftest.py), and a docstring that merely names them
    Wheels.wheel("plain", "1.0")
        .file("plain/__init__.py", "'''Run the suite with: import plain.tests.test_plain'''\nV = 1\n")
        .file("plain/conftest.py", "from plain.tests import test_plain\n")
        .file("plain/tests/__init__.py", "")
        .file("plain/tests/test_plain.py", "import plain\n\n\ndef test_v():\n    assert plain.V == 1\n")
        .file("plain/docs/index.txt", "docs\n")
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "svc", "plain");
    Path out = tmp.resolve("out");

    Cli.Result r = Cli.run("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--no-strip");

    assertEquals(0, r.code(), r.toString());
    Path layer = out.resolve("layer/python");
    for (String kept : List.of("svc/docs/__init__.py", "svc/examples/sample.py", "svc/tests/__init__.py")) {
      assertTrue(Files.isRegularFile(layer.resolve(kept)), "guard should keep " + kept);
    }
    for (String gone : List.of("svc/benchmarks/run.py", "plain/tests/test_plain.py", "plain/docs/index.txt")) {
      assertFalse(Files.exists(layer.resolve(gone)), "should remove " + gone);
    }
    Map<String, String> reasons = new TreeMap<>();
    for (JsonNode k : Cli.report(out).path("prune").path("guardKeeps")) {
      reasons.put(k.path("path").asText(), k.path("reason").asText());
    }
    assertEquals(Map.of("svc/docs", "imported by svc/client.py",
        "svc/examples", "imported by svc/docs/__init__.py",
        "svc/tests", "imported by svc/util.py"), reasons);
    assertTrue(Files.readString(out.resolve("report.md")).contains("kept `svc/docs`: imported by svc/client.py"));
    String ran = Wheels.run(List.of("python3", "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
        + "import svc.client, svc.util; print(svc.client.describe(), svc.util.load())", layer.toString()));
    assertEquals("docs:ok 42", ran.strip());
  }

  @Test
  void mentionsAWord_findsWholeWordsOnly() {
    Set<String> words = Set.of("tests", "docs");
    assertTrue(ImportGuard.mentionsAWord("from . import tests\n", words));
    assertTrue(ImportGuard.mentionsAWord("import pkg.tests.helpers", words));
    assertTrue(ImportGuard.mentionsAWord("docs", words));
    assertFalse(ImportGuard.mentionsAWord("run_tests = 1\ntests_dir = 2\nmydocs = 3\n", words));
    assertFalse(ImportGuard.mentionsAWord("", words));
  }

  @Test
  void mentionsAWord_saysYesWheneverTheWordBoundaryRegexDoes_fuzzed() {
    // the filter it replaced: a module it says no to is never read, so it must never miss a match
    Set<String> words = new java.util.TreeSet<>(Set.of("tests", "t", "docs", "_x"));
    java.util.regex.Pattern regex = java.util.regex.Pattern.compile("\\b(?:tests|t|docs|_x)\\b");
    String[] parts = {"tests", "t", "docs", "_x", "a", "Z", "9", "_", " ", ".", "\n", "\u0301", "\u00e9", "(", "ş"};
    java.util.Random random = new java.util.Random(20261201);
    int matched = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int k = random.nextInt(8); k >= 0; k--) {
        sb.append(parts[random.nextInt(parts.length)]);
      }
      String text = sb.toString();
      boolean regexSays = regex.matcher(text).find();
      if (regexSays) {
        matched++;
        assertTrue(ImportGuard.mentionsAWord(text, words), "missed a whole word in: " + text);
      }
    }
    assertTrue(matched > 1000, "the fuzz found too few matches to mean anything: " + matched);
  }
}
