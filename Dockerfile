# syntax=docker/dockerfile:1
# Merit's container images, built with the same npm and Maven steps as a developer build (nothing else is fetched).
#
#   docker build -t merit:cuda .                 # default: NVIDIA CUDA runtime, DJL/PyTorch cu124 natives (-Pcuda)
#   docker build --target cpu -t merit:cpu .     # CPU only
#
# Both run as a non-root user on PostgreSQL (the database engine is fixed at build time), are configured by
# environment (docs/configuration.md, docs/deployment.md), and answer /q/health/live, /q/health/ready and /q/health/started.

# 1. npm: the contracts (pinned solc-js, OpenZeppelin -> ABI and bytecode) and the dashboard (Vite bundle).
FROM node:20-bookworm AS npm
WORKDIR /src
COPY contracts/package.json contracts/package-lock.json contracts/
RUN cd contracts && npm install --ignore-scripts --no-audit --no-fund
COPY src/main/web/package.json src/main/web/package-lock.json src/main/web/
RUN cd src/main/web && npm install --ignore-scripts --no-audit --no-fund
COPY contracts/ contracts/
RUN cd contracts && node compile.mjs /src/target/contracts
COPY src/main/web/ src/main/web/
RUN cd src/main/web && node node_modules/vite/bin/vite.js build --logLevel warn

# 2. Maven: web3j wrappers from stage 1's ABIs, the dashboard from stage 1, PostgreSQL as the engine.
FROM maven:3.9-eclipse-temurin-17 AS maven
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
COPY src src
COPY contracts/compile.mjs contracts/package.json contracts/
COPY --from=npm /src/target/contracts target/contracts
COPY --from=npm /src/target/classes/META-INF/resources target/classes/META-INF/resources

FROM maven AS build-cpu
RUN ./mvnw -B -q package -DskipTests -DskipNpm=true -Dmerit.db-kind=postgresql

FROM maven AS build-cuda
RUN ./mvnw -B -q package -DskipTests -DskipNpm=true -Dmerit.db-kind=postgresql -Pcuda

# 3. Runtimes. The health check speaks HTTP through bash's /dev/tcp: no curl needed in the image.
FROM eclipse-temurin:17-jre AS cpu
RUN useradd --system --uid 10001 merit && mkdir -p /data && chown merit /data
WORKDIR /app
COPY --from=build-cpu --chown=merit /src/target/quarkus-app/ /app/
# The scoring model and its SHA-256 manifest: the service refuses to score if they do not match.
COPY --chown=merit models/ /app/models/
USER merit
# The root filesystem may be read-only (Kubernetes): DJL unpacks its natives under /data, not the home directory.
ENV MERIT_DATA_DIR=/data \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    HOME=/data \
    DJL_CACHE_DIR=/data/.djl.ai \
    ENGINE_CACHE_DIR=/data/.djl.ai \
    MERIT_SCORING_MODEL_DIR=/app/models/commit-type \
    MERIT_SCORING_DEVICE=cpu \
    JAVA_OPTS_APPEND="-Dai.djl.offline=true"
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS_APPEND -jar /app/quarkus-run.jar \"$@\"", "merit"]
CMD ["serve"]

# CUDA 12.4 runtime with cuDNN (what PyTorch 2.5.1 cu124 links against), with the JRE of the CPU image.
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 AS cuda
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH
RUN useradd --system --uid 10001 merit && mkdir -p /data && chown merit /data
WORKDIR /app
COPY --from=build-cuda --chown=merit /src/target/quarkus-app/ /app/
COPY --chown=merit models/ /app/models/
USER merit
ENV MERIT_DATA_DIR=/data \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    HOME=/data \
    DJL_CACHE_DIR=/data/.djl.ai \
    ENGINE_CACHE_DIR=/data/.djl.ai \
    MERIT_SCORING_MODEL_DIR=/app/models/commit-type \
    MERIT_SCORING_DEVICE=auto \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    JAVA_OPTS_APPEND="-Dai.djl.offline=true"
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS_APPEND -jar /app/quarkus-run.jar \"$@\"", "merit"]
CMD ["serve"]
