package dev.layerslim.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Positional, bounds-checked reads of one open ELF file.
 *
 * <p>Every offset and size taken from the file is checked against the file's length before
 * anything is read or allocated, and no table is read whole: tables are read a chunk of entries
 * at a time ({@link Table}) and strings one at a time ({@link StringTable}). What one file may make
 * the reader go through is capped ({@link #MAX_TABLE_BYTES}), so a hostile header that claims a
 * 200 MB string table costs the strings actually used, not 200 MB per strip thread.
 */
final class ElfInput {
  /**
   * The most bytes of table entries and strings one file may make the reader go through. A real
   * shared object's tables take kilobytes; a relocatable object with 100,000 sections about 10 MiB.
   */
  static final long MAX_TABLE_BYTES = 16L << 20;
  /** The longest string read (a library name, a run path, a section or version name). */
  static final int MAX_STRING_BYTES = 64 << 10;
  /** How much of a table one read takes in. */
  private static final int CHUNK_BYTES = 4096;
  /** The first read of a string; most are shorter. */
  private static final int STRING_CHUNK_BYTES = 256;

  final Path path;
  final long size;
  private final FileChannel ch;
  private boolean is64;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  private long tableBytes;

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

  ElfFormatException error(String message) {
    return new ElfFormatException(path + ": " + message);
  }

  /** An address-sized field: 8 bytes in ELF64, 4 (unsigned) in ELF32. */
  long word(ByteBuffer b) {
    return is64 ? b.getLong() : u32(b.getInt());
  }

  /** Throws unless {@code [offset, offset + length)} lies inside the file; both are unsigned in the file. */
  void checkRange(long offset, long length, String what) throws ElfFormatException {
    // a "negative" long is one beyond 2^63
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw error(what + " (offset " + Long.toUnsignedString(offset) + ", " + Long.toUnsignedString(length)
          + " bytes) lies outside the file (" + size + " bytes): truncated or not a valid ELF file");
    }
  }

  /** Counts {@code bytes} against {@link #MAX_TABLE_BYTES}, before they are read. */
  void charge(long bytes, String what) throws ElfFormatException {
    tableBytes += bytes;
    if (tableBytes > MAX_TABLE_BYTES) {
      throw error(what + " takes the tables read from this file past " + (MAX_TABLE_BYTES >> 20)
          + " MiB, more than any real object has: the header is garbage");
    }
  }

  /** Reads one small record (a header, an entry, a chunk of entries), at most 64 KiB. */
  ByteBuffer read(long offset, int length, String what) throws IOException, ElfFormatException {
    checkRange(offset, length, what);
    if (length > 65535) {
      throw new IllegalStateException("a record read of " + length + " bytes: tables are read in chunks");
    }
    ByteBuffer buf = ByteBuffer.allocate(length).order(order);
    readFully(buf, offset, what);
    return buf.flip();
  }

  private void readFully(ByteBuffer buf, long offset, String what) throws IOException, ElfFormatException {
    long pos = offset;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw error(what + " ends early: the file shrank while being read");
      }
      pos += n;
    }
  }

  /** A table of {@code count} entries of {@code entsize} bytes at {@code offset}, checked to lie inside the file. */
  Table table(long offset, int entsize, long count, String what) throws ElfFormatException {
    if (entsize <= 0 || count < 0 || count > Long.MAX_VALUE / entsize) {
      throw error(what + " of " + Long.toUnsignedString(count) + " entries of " + entsize + " bytes is implausible");
    }
    checkRange(offset, entsize * count, what);
    return new Table(offset, entsize, count, what);
  }

  /** A table read a chunk of entries at a time: the whole table is never in memory. */
  final class Table {
    private final long offset;
    private final int entsize;
    private final long count;
    private final String what;
    private long chunkFirst;
    private ByteBuffer chunk = ByteBuffer.allocate(0);

    private Table(long offset, int entsize, long count, String what) {
      this.offset = offset;
      this.entsize = entsize;
      this.count = count;
      this.what = what;
    }

    long count() {
      return count;
    }

    /** Entry {@code i} (0 ≤ i &lt; count): a buffer positioned at its first byte, with {@code entsize} bytes left. */
    ByteBuffer entry(long i) throws IOException, ElfFormatException {
      if (i < 0 || i >= count) {
        throw new IllegalStateException(what + ": entry " + i + " of " + count);
      }
      long inChunk = (i - chunkFirst) * entsize;
      if (i < chunkFirst || inChunk + entsize > chunk.capacity()) {
        long n = Math.min(count - i, Math.max(1, CHUNK_BYTES / entsize));
        chunkFirst = i;
        chunk = read(offset + i * entsize, (int) (n * entsize), what);
        inChunk = 0;
      }
      return chunk.limit((int) inChunk + entsize).position((int) inChunk);
    }
  }

  /** A string table checked to lie inside the file; an SHT_NOBITS one is {@code size} 0. */
  StringTable strings(long offset, long size, String what) throws ElfFormatException {
    checkRange(offset, size, what);
    return new StringTable(offset, size, what);
  }

  /** Strings read one at a time by index, never the whole table. */
  final class StringTable {
    private final long offset;
    private final long size;
    private final String what;

    private StringTable(long offset, long size, String what) {
      this.offset = offset;
      this.size = size;
      this.what = what;
    }

    /** The NUL-terminated string at {@code index}, or up to the table's end when it has no NUL. */
    String get(long index, String field) throws IOException, ElfFormatException {
      if (index < 0 || index >= size) {
        throw error(field + " string index " + index + " is outside its string table (" + size + " bytes)");
      }
      long avail = Math.min(size - index, MAX_STRING_BYTES);
      byte[] buf = new byte[(int) Math.min(avail, STRING_CHUNK_BYTES)];
      int filled = 0;
      while (true) {
        readFully(ByteBuffer.wrap(buf, filled, buf.length - filled), offset + index + filled, what);
        for (int k = filled; k < buf.length; k++) {
          if (buf[k] == 0) {
            charge(k + 1, what);
            return new String(buf, 0, k, StandardCharsets.UTF_8);
          }
        }
        filled = buf.length;
        if (filled == avail) {
          break;
        }
        buf = Arrays.copyOf(buf, (int) Math.min(avail, 4L * filled));
      }
      if (avail < size - index) {
        throw error(field + " string at index " + index + " in the " + what + " has no NUL within "
            + MAX_STRING_BYTES + " bytes: the table is garbage");
      }
      charge(filled, what);
      return new String(buf, 0, filled, StandardCharsets.UTF_8); // the table ends first: legal, if unusual
    }
  }

  static long u32(int v) {
    return Integer.toUnsignedLong(v);
  }
}
