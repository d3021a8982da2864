package dev.layerslim.layer;

/**
 * One regular file of a layer tree.
 *
 * @param path '/'-separated, relative to the tree's root ({@code numpy/core/_multiarray.so})
 * @param size bytes on disk (for a symlink inside the tree: the size of the file it points to)
 * @param elf the file starts with the ELF magic {@code 0x7f 'E' 'L' 'F'}
 * @param executable the owner execute bit is set
 * @param link the path is, or lies below, a symlink pointing inside the tree
 */
public record FileEntry(String path, long size, boolean elf, boolean executable, boolean link) {

  /** The file name, the last segment. */
  public String fileName() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
