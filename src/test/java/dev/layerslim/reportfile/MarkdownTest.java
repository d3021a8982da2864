package dev.layerslim.reportfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The one escaping of data in report.md, the job summary and the comment. */
class MarkdownTest {
  @Test
  void cell_keepsDataInsideItsCellAndLine() {
    assertEquals("evil ::error::x", Markdown.cell("evil\n::error::x"));
    assertEquals("a\\|b", Markdown.cell("a|b"));
    assertEquals("&lt;!-- x --&gt;", Markdown.cell("<!-- x -->"));
    assertEquals("\\`tick\\`", Markdown.cell("`tick`"));
    assertEquals("\\[x\\](https://e.example)", Markdown.cell("[x](https://e.example)"));
    assertEquals("ends\\\\", Markdown.cell("ends\\"));
    assertEquals("a b c d", Markdown.cell("a\rb\u2028c\td"));
    assertEquals("numpy-2.4.6", Markdown.cell("numpy-2.4.6"));
  }

  @Test
  void cell_mentionsNobody_andReferencesNoIssue() {
    assertEquals("@\u200boctocat", Markdown.cell("@octocat"));
    assertEquals("team @\u200borg/admins", Markdown.text("team @org/admins"));
    assertEquals("org/repo#\u200b12 and C#", Markdown.cell("org/repo#12 and C#"));
  }

  @Test
  void code_isOneSpanWhateverItHolds() {
    assertEquals("`numpy/_core/x.so`", Markdown.code("numpy/_core/x.so"));
    assertEquals("``a`b``", Markdown.code("a`b"));
    assertEquals("``` ``x ```", Markdown.code("``x"));
    assertEquals("`a\\|b c`", Markdown.code("a|b\nc"));
    assertFalse(Markdown.code("x\n::error::y").contains("\n"));
  }
}
