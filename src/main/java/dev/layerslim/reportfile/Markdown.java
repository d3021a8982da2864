package dev.layerslim.reportfile;

/**
 * Data (a distribution's name or version, a path, a message) placed in Markdown: report.md, the
 * job summary and the pull request comment all escape it here, so a name read from a wheel or a
 * baseline renders as the text it is, in a table cell as well as in a sentence, and cannot end
 * the cell or the line, open HTML or a comment ({@code <!--}), a code span or a link, nor notify
 * anyone: a name from someone else's baseline that reads {@code @octocat} or {@code org/repo#12}
 * would otherwise mention that user or reference that issue from the comment.
 */
public final class Markdown {
  /** Breaks a mention or an issue reference without changing what the text reads. */
  private static final char ZERO_WIDTH_SPACE = '\u200b';

  private Markdown() {}

  /**
   * Text for a table cell or a sentence: line breaks and other control characters become spaces;
   * {@code \ | ` [ ]} get a backslash; {@code <} and {@code >} become entities; {@code @}, and
   * {@code #} before a digit, are followed by a zero-width space, so GitHub sees no mention and no
   * issue reference (the text reads the same).
   */
  public static String cell(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\', '|', '`', '[', ']' -> sb.append('\\').append(c);
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '@' -> sb.append('@').append(ZERO_WIDTH_SPACE);
        case '#' -> sb.append(i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)) ? "#" + ZERO_WIDTH_SPACE : "#");
        default -> sb.append(lineBreakOrControl(c) ? ' ' : c);
      }
    }
    return sb.toString();
  }

  /** A sentence of data: the same escaping as {@link #cell(String)}. */
  public static String text(String s) {
    return cell(s);
  }

  /**
   * An inline code span holding {@code s} literally: one line, {@code |} escaped (a table would split
   * on it even inside the span), fenced by more backticks than any run inside.
   */
  public static String code(String s) {
    StringBuilder body = new StringBuilder(s.length() + 4);
    int run = 0;
    int longest = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
      if (c == '|') {
        body.append("\\|");
      } else {
        body.append(lineBreakOrControl(c) ? ' ' : c);
      }
    }
    String fence = "`".repeat(longest + 1);
    String inner = body.toString();
    boolean pad = longest > 0 && (inner.startsWith("`") || inner.endsWith("`"));
    return pad ? fence + " " + inner + " " + fence : fence + inner + fence;
  }

  private static boolean lineBreakOrControl(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085';
  }
}
