package dev.layerslim.strip;

/**
 * What happened to one ELF file.
 *
 * @param path '/'-separated, relative to the layer root
 * @param before bytes before
 * @param after bytes after (equal to {@code before} unless the file was stripped)
 * @param status what was done
 * @param reason why a file was left alone (empty for STRIPPED)
 */
public record StripOutcome(String path, long before, long after, Status status, String reason) {

  /** The fate of one file. Only STRIPPED changes the file; every other status keeps the original. */
  public enum Status {
    /** Stripped, validated, and put in place of the original. */
    STRIPPED,
    /** No symbol table or debug sections to remove (or strip saved nothing). */
    NOTHING_TO_STRIP,
    /** strip ran, but its result failed ELF validation, and so did removing the symbol tables in place: the original is kept. */
    REJECTED,
    /** strip could not produce a result (non-zero exit, timeout) or the input is unreadable: the original is kept. */
    FAILED,
    /**
     * strip's result failed ELF validation; the symbol tables and debug sections were removed
     * without moving a loaded segment instead, validated, and put in place of the original.
     */
    STRIPPED_KEEPING_LAYOUT;

  }

  /** Bytes saved: {@code before - after}. */
  public long saved() {
    return before - after;
  }
}
