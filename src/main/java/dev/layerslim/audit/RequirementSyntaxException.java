package dev.layerslim.audit;

/**
 * A requirement or marker that does not follow PEP 508. The message names the text and where it
 * went wrong; the audit reports it as a problem of the distribution and carries on.
 */
public final class RequirementSyntaxException extends IllegalArgumentException {
  private final String text;
  private final int position;

  public RequirementSyntaxException(String text, int position, String what) {
    super(what + " at column " + (position + 1) + " of '" + text + "'");
    this.text = text;
    this.position = position;
  }

  /** The requirement or marker text that failed. */
  public String text() {
    return text;
  }

  /** Zero-based offset in {@link #text()} where parsing stopped. */
  public int position() {
    return position;
  }
}
