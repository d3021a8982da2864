package dev.layerslim.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Positional, bounds-checked reads of one open ELF file: every offset and size taken from the file
 * is checked against the file's length before anything is read or allocated.
 */
final class ElfInput {
  /** No real table is this large; a bigger one means the header is garbage. */
  static final long MAX_TABLE_BYTES = 256L * 1024 * 1024;

  final Path path;
  final long size;
  private final FileChannel ch;
  private boolean is64;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  ElfInput(Path path, FileChannel ch) throws IOException {
    this.path = path;
    this.ch = ch;
    this.size = ch.size();
  }

  /** Sets the class and byte order once the identification bytes are known. */
  void layout(boolean is64, ByteOrder order) {
    this.is64 = is64;
    this.order = order;
  }

  boolean is64() {
    return is64;
  }

  ByteOrder order() {
    return order;
  }

  ElfFormatException error(String message) {
    return new ElfFormatException(path + ": " + message);
  }

  /** An address-sized field: 8 bytes in ELF64, 4 (unsigned) in ELF32. */
  long word(ByteBuffer b) {
    return is64 ? b.getLong() : u32(b.getInt());
  }

  ByteBuffer read(long offset, long length, String what) throws IOException, ElfFormatException {
    return ByteBuffer.wrap(bytes(offset, length, what)).order(order);
  }

  byte[] bytes(long offset, long length, String what) throws IOException, ElfFormatException {
    // offsets and sizes are unsigned in the file: a "negative" long is one beyond 2^63
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw error(what + " (offset " + Long.toUnsignedString(offset) + ", " + Long.toUnsignedString(length)
          + " bytes) lies outside the file (" + size + " bytes): truncated or not a valid ELF file");
    }
    if (length > MAX_TABLE_BYTES) {
      throw error(what + " of " + length + " bytes is implausibly large");
    }
    byte[] out = new byte[(int) length];
    ByteBuffer buf = ByteBuffer.wrap(out);
    long pos = offset;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw error(what + " ends early: the file shrank while being read");
      }
      pos += n;
    }
    return out;
  }

  static long u32(int v) {
    return Integer.toUnsignedLong(v);
  }
}
