package dev.layerslim.compat;

import dev.layerslim.layer.Arch;
import dev.layerslim.layer.Target;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shared libraries a Lambda Python runtime provides, so that a layer's objects may need them
 * without carrying them.
 *
 * <p>The list is deliberately conservative: a library belongs here only when the runtime's base
 * image (Amazon Linux 2 for python3.9–3.11, Amazon Linux 2023 for 3.12 and later) is sure to have
 * it. A library left out costs a warning the user can silence ({@code extraSystemLibs}); a library
 * wrongly listed hides an import that fails on Lambda.
 *
 * <ul>
 *   <li>glibc: {@code libc.so.6}, {@code libm.so.6}, {@code libdl.so.2}, {@code libpthread.so.0},
 *       {@code librt.so.1}, {@code libutil.so.1}, {@code libresolv.so.2}, {@code libanl.so.1}, and
 *       the loader of the target's architecture ({@code ld-linux-x86-64.so.2} or
 *       {@code ld-linux-aarch64.so.1}). glibc 2.34 (AL2023) merged libdl, libpthread, librt and
 *       libutil into libc but still ships the stub files, so they load there too.
 *       {@code libmvec.so.1} on x86_64 only (aarch64 glibc has it from 2.38).
 *   <li>{@code libcrypt.so.1} and {@code libnsl.so.1} on Amazon Linux 2 only: AL2023 has libxcrypt's
 *       {@code libcrypt.so.2} and no {@code libnsl.so.1} unless compat packages are installed,
 *       which the Lambda image does not promise.
 *   <li>{@code libstdc++.so.6} and {@code libgcc_s.so.1} (both images; the GLIBCXX level is not
 *       checked here) and {@code libz.so.1} (CPython's zlib module needs it).
 * </ul>
 *
 * <p>Not listed, on purpose: {@code libpython3.X.so} (manylinux extensions must not link it; the
 * interpreter exports the symbols), {@code libexpat.so.1}, {@code libffi.so.*},
 * {@code libssl}/{@code libcrypto} (their sonames differ between AL2 and AL2023), and the X11/GL
 * libraries the manylinux policies allow but Lambda lacks ({@code libX11.so.6},
 * {@code libGL.so.1}, {@code libglib-2.0.so.0}, …).
 */
public final class SystemLibraries {
  private static final Set<String> GLIBC = Set.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
      "librt.so.1", "libutil.so.1", "libresolv.so.2", "libanl.so.1");
  private static final Set<String> TOOLCHAIN = Set.of("libstdc++.so.6", "libgcc_s.so.1", "libz.so.1");
  private static final Set<String> AMAZON_LINUX_2_ONLY = Set.of("libcrypt.so.1", "libnsl.so.1");
  private static final Set<String> AMAZON_LINUX_2023_ONLY = Set.of("libcrypt.so.2");

  private SystemLibraries() {}

  /** The file names (sonames) the target's runtime provides. */
  public static Set<String> forTarget(Target target) {
    Set<String> libs = new TreeSet<>(GLIBC);
    libs.addAll(TOOLCHAIN);
    if (target.arch() == Arch.X86_64) {
      libs.add("ld-linux-x86-64.so.2");
      libs.add("libmvec.so.1");
    } else {
      libs.add("ld-linux-aarch64.so.1");
    }
    libs.addAll(target.os().equals("Amazon Linux 2") ? AMAZON_LINUX_2_ONLY : AMAZON_LINUX_2023_ONLY);
    return Set.copyOf(libs);
  }
}
