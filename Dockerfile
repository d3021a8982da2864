# syntax=docker/dockerfile:1
#
# The layerslim GitHub Action's image: a static native layerslim binary on top of AWS SAM's build
# image for the target Python runtime, so pip, the smoke test and strip run on the same OS, Python and
# glibc as Lambda itself.
#
#   docker build -t layerslim .                                  # python3.11 (Amazon Linux 2)
#   docker build -t layerslim:py312 --build-arg PYTHON_VERSION=3.12 .   # Amazon Linux 2023
#
# What the final stage relies on from public.ecr.aws/sam/build-python3.X (aws/aws-sam-build-images,
# build-image-src/Dockerfile-python3XX): the runtime's interpreter and pip on PATH (/var/lang/bin, from
# public.ecr.aws/lambda/python:3.X), the "development" package group (gcc, make) and binutils
# (strip, readelf, objdump), tar, gzip, unzip. layerslim itself needs no JVM in the image.

# ARGs before the first FROM are only visible to FROM lines; a stage that uses one declares it again.
ARG PYTHON_VERSION=3.11
# A SAM CLI release: every runtime's build image is tagged with it, so one tag serves 3.11/3.12/3.13.
# For a byte-for-byte pin of one runtime, use its dated tag, e.g. 1.135.0-20250310201004 (python3.11).
ARG SAM_IMAGE_TAG=1.135.0
# The -muslib variant carries the musl toolchain for a fully static binary: a binary linked against
# this image's glibc (2.34) would not start on Amazon Linux 2 (glibc 2.26), the python3.8-3.11 image.
ARG GRAALVM_IMAGE=ghcr.io/graalvm/native-image-community:21.0.2-muslib-ol9-20240116
# Maven comes from the official Maven image: the GraalVM image (Oracle Linux 9 slim, microdnf) has no
# Maven, and OL9's maven package pulls in its own OpenJDK and an older Maven (3.6).
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-21

FROM ${MAVEN_IMAGE} AS maven

FROM ${GRAALVM_IMAGE} AS native
COPY --from=maven /usr/share/maven /opt/maven
ENV PATH=/opt/maven/bin:${PATH}
WORKDIR /build
COPY pom.xml ./
COPY src/main ./src/main
# Tests need pip, python3 and gcc, which this image lacks: they run in CI (mvn verify), not here.
RUN mvn -B -ntp -Pnative,static -DskipTests package \
 && ./target/layerslim --version

FROM public.ecr.aws/sam/build-python${PYTHON_VERSION}:${SAM_IMAGE_TAG}
ARG PYTHON_VERSION
LABEL org.opencontainers.image.title="layerslim" \
      org.opencontainers.image.description="Builds AWS Lambda Python layers that fit, and gates pull requests on their size" \
      dev.layerslim.python-version="${PYTHON_VERSION}"
# The Python runtime this image was built for, so the action can tell it from its python-version input.
ENV LAYERSLIM_IMAGE_PYTHON=${PYTHON_VERSION}
COPY --from=native /build/target/layerslim /usr/local/bin/layerslim
# Fails the image build here, not in a user's workflow, if the binary cannot start on this OS.
RUN /usr/local/bin/layerslim --version \
 && for tool in strip readelf gcc "python${PYTHON_VERSION}"; do \
      command -v "$tool" >/dev/null || { echo "missing in the SAM build image: $tool" >&2; exit 1; }; \
    done
# Runs as root (the image's default): the runner's file commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY)
# are owned by the runner user; layerslim hands what it writes into the workspace back to the
# workspace's owner (dev.layerslim.github.WorkspaceOwner).
ENTRYPOINT ["/usr/local/bin/layerslim", "action"]
