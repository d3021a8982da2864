package dev.layerslim.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Guards the native binary (like hub4j's AotIntegrationTest): a class that Jackson binds by
 * reflection, or a picocli command, that is missing from the native-image metadata works on the JVM
 * and fails only in the native binary, at run time. These checks make that a test failure instead.
 */
final class NativeImageMetadataTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Path CLASSES = Path.of("target/classes");
  private static final Path OWN_METADATA = Path.of("src/main/resources/META-INF/native-image/dev.layerslim/layerslim");
  private static final Path PICOCLI_REFLECT =
      CLASSES.resolve("META-INF/native-image/picocli-generated/dev.layerslim/layerslim/reflect-config.json");

  /** Calls through which Jackson binds a class by reflection (to or from JSON). */
  private static final Pattern BINDING_CALL = Pattern.compile(
      "\\.(readValue|readValues|treeToValue|convertValue|readerFor|writerFor|forType|valueToTree"
          + "|writeValue|writeValueAsString|writeValueAsBytes)\\s*\\(");
  /** Jackson annotations only matter on a class that is bound by reflection. */
  private static final Pattern BINDING_ANNOTATION = Pattern.compile(
      "@Json(Property|Creator|Deserialize|Serialize|TypeInfo|SubTypes|AutoDetect|IgnoreProperties|Value|Setter"
          + "|Getter|AnyGetter|AnySetter|Unwrapped|Include|Naming|Format|Alias|View|PropertyOrder)\\b");
  private static final Pattern CLASS_LITERAL = Pattern.compile("\\b([A-Z][\\w.]*)\\.class\\b");
  /** Target types Jackson handles without reflection metadata: its tree model and JDK values. */
  private static final Set<String> TREE_OR_JDK = Set.of("JsonNode", "ObjectNode", "ArrayNode", "TextNode",
      "String", "Map", "List", "Object", "Integer", "Long", "Boolean", "Double", "byte[]");

  /** One place where layerslim's code makes Jackson bind a class by reflection. */
  record Binding(String source, String what) {}

  /** Scans one source file; {@code className} is the file's top-level class, fully qualified. */
  static List<Binding> scan(String className, String code) {
    List<Binding> found = new ArrayList<>();
    Matcher call = BINDING_CALL.matcher(code);
    while (call.find()) {
      String method = call.group(1);
      String args = arguments(code, call.end());
      if (method.startsWith("write") || method.equals("valueToTree")) {
        // serializing: fine when the value is a variable declared with a tree type in this file
        String value = lastArgument(args).trim();
        boolean tree = value.matches("\\w+")
            && Pattern.compile("\\b(JsonNode|ObjectNode|ArrayNode)\\s+" + value + "\\b").matcher(code).find();
        if (!tree) {
          found.add(new Binding(className, method + "(" + value + ")"));
        }
        continue;
      }
      Matcher lit = CLASS_LITERAL.matcher(args);
      boolean anyClass = false;
      while (lit.find()) {
        anyClass = true;
        String simple = lit.group(1).substring(lit.group(1).lastIndexOf('.') + 1);
        if (!TREE_OR_JDK.contains(simple)) {
          found.add(new Binding(className, qualify(lit.group(1), className, code)));
        }
      }
      if (!anyClass) {
        found.add(new Binding(className, method + "(" + args + ")"));
      }
    }
    if (BINDING_ANNOTATION.matcher(code).find()) {
      found.add(new Binding(className, className));
    }
    return found;
  }

  private static String arguments(String code, int start) {
    int depth = 1;
    int i = start;
    while (i < code.length() && depth > 0) {
      char c = code.charAt(i++);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    }
    return code.substring(start, Math.max(start, i - 1));
  }

  private static String lastArgument(String args) {
    int depth = 0;
    int cut = 0;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      depth += c == '(' || c == '<' ? 1 : c == ')' || c == '>' ? -1 : 0;
      if (c == ',' && depth == 0) {
        cut = i + 1;
      }
    }
    return args.substring(cut);
  }

  private static String qualify(String name, String className, String code) {
    if (name.contains(".")) {
      return name;
    }
    Matcher imp = Pattern.compile("import\\s+([\\w.]+\\." + name + ")\\s*;").matcher(code);
    if (imp.find()) {
      return imp.group(1);
    }
    return className.substring(0, className.lastIndexOf('.') + 1) + name;
  }

  /** Bindings whose class is not in {@code reflectConfigNames}; a call with no class is always missing. */
  static List<Binding> missing(List<Binding> bindings, Set<String> reflectConfigNames) {
    return bindings.stream().filter(b -> !reflectConfigNames.contains(b.what().replace('$', '.'))).toList();
  }

  private static Set<String> names(JsonNode reflectConfig) {
    Set<String> names = new TreeSet<>();
    reflectConfig.forEach(e -> names.add(e.path("name").asText().replace('$', '.')));
    return names;
  }

  @Test
  void layerslimBindsNothingByReflection_scanCoversEveryMainSource() throws Exception {
    List<Path> sources;
    try (Stream<Path> s = Files.walk(SOURCES)) {
      sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    List<Binding> bindings = new ArrayList<>();
    int scanned = 0;
    for (Path p : sources) {
      String className = SOURCES.relativize(p).toString().replace('/', '.').replaceAll("\\.java$", "");
      bindings.addAll(scan(className, Files.readString(p)));
      scanned++;
    }
    Path ownReflect = OWN_METADATA.resolve("reflect-config.json");
    Set<String> listed = Files.exists(ownReflect) ? names(JSON.readTree(ownReflect.toFile())) : Set.of();

    assertTrue(scanned >= 30 && scanned == sources.size(), "scanned " + scanned + " of " + sources.size());
    assertEquals(List.of(), missing(bindings, listed),
        "Jackson binds these by reflection, but they are missing from " + ownReflect
            + ": list them there, or better, use the tree model (ObjectNode/ArrayNode)");
    // today nothing is bound at all: the report and every GitHub payload go through the tree model
    assertEquals(List.of(), bindings);
  }

  @Test
  void scan_findsClassesBoundByReadValueTreeToValueAndAnnotations() {
    String code = """
        package dev.x;
        import com.acme.Payload;
        final class Reader {
          @JsonProperty("n") String n;
          Payload a(ObjectMapper m, java.io.File f) throws Exception { return m.readValue(f, Payload.class); }
          Local b(ObjectMapper m, JsonNode n) throws Exception { return m.treeToValue(n, Local.class); }
          JsonNode c(ObjectMapper m, java.io.File f) throws Exception { return m.readValue(f, JsonNode.class); }
          String d(ObjectMapper m, Object pojo) throws Exception { return m.writeValueAsString(pojo); }
          String e(ObjectMapper m, ObjectNode tree) throws Exception { return m.writeValueAsString(tree); }
        }
        """;

    List<Binding> found = scan("dev.x.Reader", code);

    assertEquals(List.of(new Binding("dev.x.Reader", "com.acme.Payload"), new Binding("dev.x.Reader", "dev.x.Local"),
        new Binding("dev.x.Reader", "writeValueAsString(pojo)"), new Binding("dev.x.Reader", "dev.x.Reader")), found);
    assertEquals(List.of(new Binding("dev.x.Reader", "dev.x.Local"),
            new Binding("dev.x.Reader", "writeValueAsString(pojo)"), new Binding("dev.x.Reader", "dev.x.Reader")),
        missing(found, Set.of("com.acme.Payload")));
  }

  private static List<Class<?>> compiledClasses() throws Exception {
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> s = Files.walk(CLASSES.resolve("dev/layerslim"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String name = CLASSES.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
        classes.add(Class.forName(name, false, NativeImageMetadataTest.class.getClassLoader()));
      }
    }
    return classes;
  }

  private static boolean picocliAnnotated(Class<?> c) {
    if (c.isAnnotationPresent(CommandLine.Command.class)) {
      return true;
    }
    for (Field f : c.getDeclaredFields()) {
      if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)
          || f.isAnnotationPresent(CommandLine.Mixin.class) || f.isAnnotationPresent(CommandLine.ArgGroup.class)
          || f.isAnnotationPresent(CommandLine.Spec.class)) {
        return true;
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (m.isAnnotationPresent(CommandLine.Option.class) || m.isAnnotationPresent(CommandLine.Command.class)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyPicocliCommandClass_isInTheGeneratedReflectConfig() throws Exception {
    assertTrue(Files.exists(PICOCLI_REFLECT), "picocli-codegen did not run: " + PICOCLI_REFLECT);
    Set<String> listed = names(JSON.readTree(PICOCLI_REFLECT.toFile()));
    List<String> commands = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Class<?> c : compiledClasses()) {
      if (picocliAnnotated(c)) {
        commands.add(c.getName());
        if (!listed.contains(c.getName().replace('$', '.'))) {
          missing.add(c.getName());
        }
      }
    }

    assertTrue(commands.contains("dev.layerslim.cli.Main") && commands.contains("dev.layerslim.cli.BuildCommand")
        && commands.contains("dev.layerslim.cli.ReleaseCommand"), "found " + commands);
    assertEquals(List.of(), missing, "picocli classes missing from " + PICOCLI_REFLECT);
  }

  @Test
  void githubApi_shipsReflectionMetadataForTheClassesReleaseUploaderUses() throws Exception {
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream("META-INF/native-image/org.kohsuke/github-api/reflect-config.json")) {
      assertNotNull(in, "github-api no longer ships its native-image metadata: add reflect-config for its classes");
      Set<String> listed = names(JSON.readTree(in));
      for (String c : List.of("org.kohsuke.github.GHRepository", "org.kohsuke.github.GHRelease",
          "org.kohsuke.github.GHAsset", "org.kohsuke.github.GHIssueComment", "org.kohsuke.github.GHUser")) {
        assertTrue(listed.contains(c), c + " is missing from github-api's reflect-config.json");
      }
    }
  }

  @Test
  void ownMetadata_forbidsFallbackAndKeepsTheVersionResource() throws Exception {
    String props = Files.readString(OWN_METADATA.resolve("native-image.properties"));
    assertTrue(props.contains("--no-fallback"), props);
    // http too: a GitHub Enterprise Server on plain http, and the end-to-end suite's local stand-in
    assertTrue(props.contains("--enable-url-protocols=http,https"), props);
    JsonNode includes = JSON.readTree(OWN_METADATA.resolve("resource-config.json").toFile())
        .path("resources").path("includes");
    List<String> patterns = new ArrayList<>();
    includes.forEach(i -> patterns.add(i.path("pattern").asText()));
    assertTrue(patterns.stream().anyMatch(p -> Pattern.compile(p).matcher("dev/layerslim/version.properties")
        .matches()), "resource-config.json misses dev/layerslim/version.properties: " + patterns);
    assertTrue(Files.exists(CLASSES.resolve("dev/layerslim/version.properties")));
    assertFalse(props.contains("--initialize-at-build-time="), "build-time initialization needs a review first");
  }

  private static List<Pattern> resourcePatterns() throws Exception {
    List<Pattern> patterns = new ArrayList<>();
    JSON.readTree(OWN_METADATA.resolve("resource-config.json").toFile()).path("resources").path("includes")
        .forEach(i -> patterns.add(Pattern.compile(i.path("pattern").asText())));
    return patterns;
  }

  /** Resource names the code loads: every file under src/main/resources but the native-image metadata. */
  static List<String> unlisted(List<String> resources, List<Pattern> patterns) {
    return resources.stream().filter(r -> patterns.stream().noneMatch(p -> p.matcher(r).matches())).toList();
  }

  @Test
  void everyResourceTheCodeLoads_isInResourceConfig() throws Exception {
    Path root = Path.of("src/main/resources");
    List<String> resources = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String name = root.relativize(p).toString().replace('\\', '/');
        if (!name.startsWith("META-INF/")) {
          resources.add(name);
        }
      }
    }
    // the Python drivers are run from their resource copies: each must be there and be listed
    List<String> drivers = new ArrayList<>();
    for (Field f : dev.layerslim.python.DriverScript.class.getFields()) {
      if (f.getType() == String.class) {
        drivers.add((String) f.get(null));
      }
    }
    assertTrue(drivers.contains("dev/layerslim/python/smoke_driver.py"), drivers.toString());
    assertTrue(resources.containsAll(drivers), "drivers " + drivers + " vs resources " + resources);

    assertEquals(List.of(), unlisted(resources, resourcePatterns()),
        "these resources are missing from " + OWN_METADATA.resolve("resource-config.json")
            + ": the native binary would not find them");
    // and the check does fail for a resource nobody listed
    assertEquals(List.of("dev/layerslim/python/new_driver.py"),
        unlisted(List.of("dev/layerslim/python/smoke_driver.py", "dev/layerslim/python/new_driver.py"),
            resourcePatterns()));
  }

  @Test
  void nativeOptions_theCiBuildPassesWhatTheJarAndThePomGiveARealGraalvm() throws Exception {
    // .ci/run runs the image builder without the native-image driver, which reads native-image.properties
    // and takes -march: it must pass the same options in the builder's own spelling
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<buildArg>-march=compatibility</buildArg>"), "the pom's native profile: -march");
    assertTrue(pom.contains("<buildArg>-R:MaxHeapSize=384m</buildArg>"), "the pom's native profile: the heap bound");
    assertTrue(Files.readString(Path.of("bin/layerslim")).contains("-Xmx384m"), "the jar's heap bound");
    String ci = Files.readString(Path.of(".ci/run"));
    assertTrue(ci.contains("-H:EnableURLProtocols=http,https"), ".ci/run: http and https");
    assertTrue(ci.contains("-H:MicroArchitecture=compatibility"), ".ci/run: -march=compatibility");
    assertTrue(ci.contains("-R:MaxHeapSize=384m"), ".ci/run: the heap bound");
  }
}
