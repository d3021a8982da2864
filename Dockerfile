# syntax=docker/dockerfile:1
#
# The layerslim GitHub Action's image: a native layerslim binary on top of AWS SAM's build image for
# the target Python runtime, so pip, the smoke test and strip run on the same OS, Python and glibc as
# Lambda itself. One image per runtime and architecture; the release workflow builds them all and
# pushes them to ghcr.io (.github/workflows/release.yml).
#
#   docker build -t layerslim .                                          # python3.11 (Amazon Linux 2)
#   docker build -t layerslim:py312 --build-arg PYTHON_VERSION=3.12 .    # Amazon Linux 2023
#   docker buildx build --platform linux/arm64 -t layerslim:py312-arm64 --build-arg PYTHON_VERSION=3.12 .
#
# What the final stage relies on from public.ecr.aws/sam/build-python3.X (aws/aws-sam-build-images,
# build-image-src/Dockerfile-python3XX): the runtime's interpreter and pip on PATH (/var/lang/bin, from
# public.ecr.aws/lambda/python:3.X), the "development" package group (gcc, make) and binutils
# (strip, readelf, objdump), tar, gzip, unzip. layerslim itself needs no JVM in the image.
#
# The binary, per architecture (TARGETARCH, set by docker buildx from --platform):
# - amd64: a fully static binary linked against musl, built in GraalVM's -muslib image. It starts on
#   any x86_64 Linux, also the glibc 2.26 of Amazon Linux 2 (python3.9-3.11).
# - arm64: GraalVM's musl toolchain is x86_64-only, so the arm64 binary is built inside the SAM build
#   image of the same runtime, dynamically linked against that image's own glibc: Amazon Linux 2's
#   (2.26) for python3.9-3.11, Amazon Linux 2023's (2.34) for 3.12 on. It then runs on the very OS it
#   was linked on, and on nothing older.

# ARGs before the first FROM are only visible to FROM lines; a stage that uses one declares it again.
ARG PYTHON_VERSION=3.11
# A SAM CLI release: every runtime's build image is tagged with it; this one has python3.14's. The
# release workflow resolves it per runtime and fails, naming the image, where a runtime has none.
# For a byte-for-byte pin, BASE_IMAGE takes a digest: the release workflow passes
#   --build-arg BASE_IMAGE=public.ecr.aws/sam/build-python3.X@sha256:<digest it resolved from this tag>
ARG SAM_IMAGE_TAG=1.151.0
ARG BASE_IMAGE=public.ecr.aws/sam/build-python${PYTHON_VERSION}:${SAM_IMAGE_TAG}
# The -muslib variant carries the musl toolchain for a fully static binary (amd64 only): a binary linked
# against this image's glibc (2.34) would not start on Amazon Linux 2 (glibc 2.26).
ARG GRAALVM_IMAGE=ghcr.io/graalvm/native-image-community:21.0.2-muslib-ol9-20240116
# The same GraalVM release without musl, for both architectures: arm64 takes its JDK from here.
ARG GRAALVM_GLIBC_IMAGE=ghcr.io/graalvm/native-image-community:21.0.2-ol9-20240116
# Maven comes from the official Maven image: the GraalVM image (Oracle Linux 9 slim, microdnf) has no
# Maven, and OL9's maven package pulls in its own OpenJDK and an older Maven (3.6).
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-21

FROM ${MAVEN_IMAGE} AS maven

# ---- amd64: static musl binary ----
FROM ${GRAALVM_IMAGE} AS native-amd64
COPY --from=maven /usr/share/maven /opt/maven
ENV PATH=/opt/maven/bin:${PATH} \
    LANG=C.UTF-8
WORKDIR /build
COPY pom.xml ./
COPY src/main ./src/main
# Tests need pip, python3 and gcc, which this image lacks: they run in CI (.ci/run), not here; so they
# are not even compiled. The Maven repository is a BuildKit cache, kept between image builds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Pnative,static -Dmaven.test.skip=true package \
 && ./target/layerslim --version \
 && mkdir -p /out && cp target/layerslim /out/layerslim

# ---- arm64: glibc binary linked inside the target's own SAM build image ----
FROM ${GRAALVM_GLIBC_IMAGE} AS graalvm-glibc
# JAVA_HOME is where the image keeps GraalVM; copied to a fixed path for the next stage.
RUN mkdir -p /export && cp -a "${JAVA_HOME}" /export/graalvm

FROM ${BASE_IMAGE} AS native-arm64
COPY --from=graalvm-glibc /export/graalvm /opt/graalvm
COPY --from=maven /usr/share/maven /opt/maven
ENV JAVA_HOME=/opt/graalvm \
    PATH=/opt/graalvm/bin:/opt/maven/bin:${PATH} \
    LANG=C.UTF-8
# native-image links against zlib and the C library's development files: dnf on Amazon Linux 2023
# (python3.12 on), yum on Amazon Linux 2.
RUN if command -v dnf >/dev/null 2>&1; then dnf install -y zlib-devel glibc-devel && dnf clean all; \
    else yum install -y zlib-devel glibc-devel && yum clean all; fi
WORKDIR /build
COPY pom.xml ./
COPY src/main ./src/main
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Pnative -Dmaven.test.skip=true package \
 && ./target/layerslim --version \
 && mkdir -p /out && cp target/layerslim /out/layerslim

FROM native-${TARGETARCH} AS native

# ---- the action's image ----
FROM ${BASE_IMAGE}
ARG PYTHON_VERSION
ARG BASE_IMAGE
# Set by the release workflow: the repository (GHCR links the package to it through this label), this
# image's own reference (so a python-version input for another runtime names the right image), and the
# digests the build used.
ARG IMAGE_SOURCE=""
ARG IMAGE_REF=""
ARG IMAGE_VERSION=""
ARG BASE_DIGESTS=""
LABEL org.opencontainers.image.title="layerslim" \
      org.opencontainers.image.description="Builds AWS Lambda Python layers that fit, and gates pull requests on their size" \
      org.opencontainers.image.source="${IMAGE_SOURCE}" \
      org.opencontainers.image.version="${IMAGE_VERSION}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}" \
      dev.layerslim.python-version="${PYTHON_VERSION}" \
      dev.layerslim.base-digests="${BASE_DIGESTS}"
# The Python runtime this image was built for, so the action can tell it from its python-version input
# (dev.layerslim.github.ActionInputs), and the image's own name, so it can name the right one instead.
ENV LAYERSLIM_IMAGE_PYTHON=${PYTHON_VERSION} \
    LAYERSLIM_IMAGE=${IMAGE_REF} \
    LANG=C.UTF-8
COPY --from=native /out/layerslim /usr/local/bin/layerslim
# Fails the image build here, not in a user's workflow, if the binary cannot start on this OS.
RUN /usr/local/bin/layerslim --version \
 && for tool in strip readelf gcc "python${PYTHON_VERSION}"; do \
      command -v "$tool" >/dev/null || { echo "missing in the SAM build image: $tool" >&2; exit 1; }; \
    done
# Runs as root (the image's default): the runner's file commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY)
# are owned by the runner user; layerslim hands what it writes into the workspace back to the
# workspace's owner (dev.layerslim.github.WorkspaceOwner).
ENTRYPOINT ["/usr/local/bin/layerslim", "action"]
