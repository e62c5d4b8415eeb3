# CPU image of Merit on PostgreSQL. Build: docker build -t merit .
# Run:   docker run -p 8080:8080 -e QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://db:5432/merit \
#          -e QUARKUS_DATASOURCE_USERNAME=merit -e QUARKUS_DATASOURCE_PASSWORD=... merit
# (The CUDA image and Kubernetes manifests come with the production issue.)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline -DskipTests || true
COPY src src
RUN ./mvnw -B -q package -DskipTests -Dmerit.db-kind=postgresql

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 merit && mkdir -p /data && chown merit /data
WORKDIR /app
COPY --from=build --chown=merit /src/target/quarkus-app/ /app/
USER merit
ENV MERIT_DATA_DIR=/data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/q/health/ready || exit 1
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
CMD ["serve"]
