# CPU image of Merit on PostgreSQL, built with the same npm and Maven steps as a developer build.
#   docker build -t merit .
#   docker run -p 8080:8080 -e QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://db:5432/merit \
#     -e QUARKUS_DATASOURCE_USERNAME=merit -e QUARKUS_DATASOURCE_PASSWORD=... \
#     -e MERIT_CHAIN_RPC_URL=... -e MERIT_CHAIN_CHAIN_ID=... -e MERIT_CHAIN_GOVERNOR=... (see README) merit
# The CUDA image and the Kubernetes manifests come with the production issue.

# 1. Contracts: pinned solc-js and OpenZeppelin from npm -> ABI and bytecode.
FROM node:20-bookworm AS contracts
WORKDIR /src/contracts
COPY contracts/package.json contracts/package-lock.json ./
RUN npm install --ignore-scripts --no-audit --no-fund
COPY contracts/ ./
RUN node compile.mjs /src/target/contracts

# 2. Merit: Maven (web3j wrappers from stage 1's ABIs), PostgreSQL as the database engine.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
COPY src src
COPY contracts contracts
COPY --from=contracts /src/target/contracts target/contracts
RUN ./mvnw -B -q package -DskipTests -DskipNpm=true -Dmerit.db-kind=postgresql

# 3. Runtime: a JRE, a non-root user, configuration by environment.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 merit && mkdir -p /data && chown merit /data
WORKDIR /app
COPY --from=build --chown=merit /src/target/quarkus-app/ /app/
# The scoring model and its SHA-256 manifest: the service refuses to score if they do not match.
COPY --chown=merit models/ /app/models/
USER merit
ENV MERIT_DATA_DIR=/data \
    MERIT_SCORING_MODEL_DIR=/app/models/commit-type
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
CMD ["serve"]
