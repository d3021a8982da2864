package dev.layerslim.elf;

/**
 * A file is not a well-formed ELF object: bad magic, an unknown class or byte order, or a table
 * that points past the end of the file. The message names the file and what was wrong.
 */
public final class ElfFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ElfFormatException(String message) {
    super(message);
  }
}
