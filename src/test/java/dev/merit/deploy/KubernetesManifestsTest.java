package dev.merit.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.merit.ci.CiConfig;
import dev.merit.governance.ChainConfig;
import dev.merit.ingest.IngestConfig;
import dev.merit.events.KafkaConfig;
import dev.merit.ingest.webhook.WebhookConfig;
import dev.merit.payroll.PayrollConfig;
import dev.merit.scoring.ScoringConfig;
import dev.merit.scoring.graph.GraphConfig;
import dev.merit.support.PostgresResource;
import dev.merit.security.WebConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMapping;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file under k8s/ parsed into typed Kubernetes objects (fabric8 kubernetes-model; operator resources as generic
 * resources) and checked against Merit itself: the image the overlays set, ports, probe paths that answer on the
 * running service, configuration keys Merit reads, secrets referenced (never stored), and the Strimzi and
 * CloudNativePG resources the configuration points at.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Created by the operator before deploying (docs/deployment.md): never in the repository. */
    private static final Set<String> EXTERNAL_SECRETS = Set.of("merit-secrets");
    private static final Set<String> EXTERNAL_CONFIG_MAPS = Set.of("merit-chain");

    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        <T> T as(Class<T> type) {
            return YAML.convertValue(node, type);
        }
    }

    private static List<Doc> docs() throws IOException {
        List<Doc> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = YAML.getFactory().createParser(f.toFile())) {
                    var it = YAML.readValues(parser, JsonNode.class);
                    while (it.hasNext()) {
                        JsonNode n = it.next();
                        if (n != null && !n.isEmpty()) {
                            out.add(new Doc(f, n));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<Doc> of(List<Doc> docs, String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    private static boolean isKustomization(Doc d) {
        return d.node().path("apiVersion").asText().startsWith("kustomize.config.k8s.io/");
    }

    /** Patches are partial objects: typed parsing, but no completeness checks. */
    private static boolean isPatch(Doc d) throws IOException {
        for (Doc k : docs()) {
            if (isKustomization(k) && k.file().getParent().equals(d.file().getParent())) {
                for (JsonNode p : k.node().path("patches")) {
                    if (k.file().getParent().resolve(p.path("path").asText()).normalize().equals(d.file().normalize())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void everyManifestIsATypedKubernetesObjectAndEveryKustomizationReferenceExists() throws IOException {
        List<Doc> docs = docs();
        assertThat(docs).hasSizeGreaterThan(10);
        Map<String, Class<?>> typed = Map.of("Deployment", Deployment.class, "Service", Service.class,
                "ConfigMap", ConfigMap.class, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
                "PodDisruptionBudget", PodDisruptionBudget.class);
        for (Doc d : docs) {
            assertThat(d.node().path("apiVersion").asText()).as(d.file() + " apiVersion").isNotEmpty();
            if (isKustomization(d)) {
                for (String list : List.of("resources", "components")) {
                    for (JsonNode r : d.node().path(list)) {
                        assertThat(d.file().getParent().resolve(r.asText())).as(d.file() + " " + list).exists();
                    }
                }
                for (JsonNode p : d.node().path("patches")) {
                    assertThat(d.file().getParent().resolve(p.path("path").asText())).as(d.file() + " patch").exists();
                }
                continue;
            }
            assertThat(d.name()).as(d.file() + " metadata.name").isNotEmpty();
            Object parsed = d.as(typed.getOrDefault(d.kind(), GenericKubernetesResource.class));
            // Typed objects keep fields they do not know in additionalProperties: a misspelt field lands there.
            if (parsed instanceof Deployment dep) {
                assertThat(dep.getSpec().getAdditionalProperties()).as(d.file() + " unknown fields").isEmpty();
                assertThat(dep.getSpec().getTemplate().getSpec().getAdditionalProperties()).as(d.file().toString()).isEmpty();
                for (Container c : dep.getSpec().getTemplate().getSpec().getContainers()) {
                    assertThat(c.getAdditionalProperties()).as(d.file() + " container fields").isEmpty();
                }
            }
        }
        assertThat(docs.stream().map(Doc::kind)).contains("Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler",
                "PodDisruptionBudget", "Kafka", "KafkaNodePool", "KafkaTopic", "Cluster");
    }

    @Test
    void theDeploymentRunsMeritsImageOnItsPortWithProbesThatAnswer() throws IOException {
        List<Doc> docs = docs();
        Deployment dep = base(docs, "Deployment").as(Deployment.class);
        Container merit = dep.getSpec().getTemplate().getSpec().getContainers().get(0);
        // The image is the one the kustomizations set, and the overlays pick the CUDA and CPU builds.
        for (Doc k : docs.stream().filter(KubernetesManifestsTest::isKustomization).toList()) {
            for (JsonNode image : k.node().path("images")) {
                assertThat(image.path("name").asText()).as(k.file() + " image name").isEqualTo(merit.getImage());
            }
        }
        assertThat(images(docs, "overlays/gpu")).allMatch(t -> t.endsWith("-cuda"));
        assertThat(images(docs, "base")).allMatch(t -> t.endsWith("-cpu"));
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("AS cuda").contains("AS cpu").contains("-Pcuda").contains("USER merit")
                .contains("EXPOSE 8080").contains("FROM nvidia/cuda:");

        var port = merit.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
        assertThat(port.getContainerPort()).isEqualTo(8080);
        Service service = base(docs, "Service").as(Service.class);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
        Map<String, String> podLabels = dep.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels).containsAllEntriesOf(dep.getSpec().getSelector().getMatchLabels());
        PodDisruptionBudget pdb = base(docs, "PodDisruptionBudget").as(PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        HorizontalPodAutoscaler hpa = base(docs, "HorizontalPodAutoscaler").as(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(dep.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(merit.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(merit.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(dep.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/q/metrics");
        given().get("/q/metrics").then().statusCode(200);

        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("startup", merit.getStartupProbe());
        probes.put("readiness", merit.getReadinessProbe());
        probes.put("liveness", merit.getLivenessProbe());
        for (var e : probes.entrySet()) {
            assertThat(e.getValue()).as(e.getKey() + " probe").isNotNull();
            HTTPGetAction get = e.getValue().getHttpGet();
            assertThat(get.getPort().getStrVal()).as(e.getKey() + " probe port").isEqualTo("http");
            assertThat(get.getPath()).startsWith("/q/health/");
            given().get(get.getPath()).then().statusCode(200); // the path exists and the service is healthy
        }
    }

    @Test
    void everyConfigurationKeyIsOneMeritReadsAndSecretsAreReferencedNeverStored() throws IOException {
        List<Doc> docs = docs();
        Set<String> known = knownEnvironmentNames();
        Set<String> envNames = new TreeSet<>();
        Set<String> secretRefs = new TreeSet<>();
        Set<String> configMapRefs = new TreeSet<>();
        for (Doc d : docs) {
            assertThat(d.kind()).as(d.file() + ": secret values never live in the repository").isNotEqualTo("Secret");
            if (d.kind().equals("ConfigMap") && d.name().equals("merit-config")) {
                envNames.addAll(d.as(ConfigMap.class).getData().keySet());
            }
            if (d.kind().equals("Deployment")) {
                for (Container c : d.as(Deployment.class).getSpec().getTemplate().getSpec().getContainers()) {
                    for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                        envNames.add(v.getName());
                        if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
                            secretRefs.add(v.getValueFrom().getSecretKeyRef().getName());
                        } else if (v.getValueFrom() != null && v.getValueFrom().getConfigMapKeyRef() != null) {
                            configMapRefs.add(v.getValueFrom().getConfigMapKeyRef().getName());
                        } else {
                            assertThat(v.getName()).as("secrets come from secretKeyRef").doesNotContain("PASSWORD", "KEY", "SECRET", "TOKEN");
                        }
                    }
                    if (c.getEnvFrom() != null) {
                        c.getEnvFrom().forEach(f -> configMapRefs.add(f.getConfigMapRef().getName()));
                    }
                }
            }
        }
        assertThat(envNames).as("environment names that are not keys Merit reads").allMatch(known::contains);
        assertThat(envNames).contains("MERIT_SIGNER_KEY", "QUARKUS_DATASOURCE_PASSWORD", "MERIT_KAFKA_BOOTSTRAP_SERVERS");

        Set<String> createdByOperators = new HashSet<>();
        of(docs, "Cluster").forEach(c -> createdByOperators.add(c.name() + "-app")); // CloudNativePG's app secret
        assertThat(secretRefs).allMatch(s -> EXTERNAL_SECRETS.contains(s) || createdByOperators.contains(s));
        Set<String> configMaps = new HashSet<>(EXTERNAL_CONFIG_MAPS);
        of(docs, "ConfigMap").forEach(c -> configMaps.add(c.name()));
        assertThat(configMapRefs).allMatch(configMaps::contains);
        String deployment = Files.readString(Path.of("docs/deployment.md"));
        for (String external : EXTERNAL_SECRETS) {
            assertThat(deployment).contains("kubectl create secret generic " + external);
        }
        for (String external : EXTERNAL_CONFIG_MAPS) {
            assertThat(deployment).contains("kubectl create configmap " + external);
        }
    }

    @Test
    void theGpuOverlayAndTheKafkaAndPostgresOperatorsFitMeritsConfiguration() throws IOException {
        List<Doc> docs = docs();
        Deployment gpu = docs.stream().filter(d -> d.file().startsWith(K8S.resolve("overlays/gpu")) && d.kind().equals("Deployment"))
                .findFirst().orElseThrow().as(Deployment.class);
        var pod = gpu.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getNodeSelector()).isNotEmpty();
        assertThat(pod.getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()));
        assertThat(pod.getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("MERIT_SCORING_DEVICE") && e.getValue().equals("gpu"));

        // Strimzi: the topics Merit uses by default, on the Kafka cluster the bootstrap address points at.
        Doc kafkaDoc = of(docs, "Kafka").get(0);
        GenericKubernetesResource kafka = kafkaDoc.as(GenericKubernetesResource.class);
        // Whoever can write to the contributions topic decides who is paid: every listener authenticates its clients,
        // and the broker authorises them per topic.
        String port = null;
        for (JsonNode listener : kafkaDoc.node().path("spec").path("kafka").path("listeners")) {
            assertThat(listener.path("authentication").path("type").asText()).as("listener " + listener.path("name"))
                    .isEqualTo("scram-sha-512");
            assertThat(listener.path("tls").asBoolean()).as("listener " + listener.path("name") + " tls").isTrue();
            port = listener.path("port").asText();
        }
        assertThat(port).isNotNull();
        assertThat(kafkaDoc.node().path("spec").path("kafka").path("authorization").path("type").asText()).isEqualTo("simple");
        // Without a User Operator no KafkaUser is reconciled: no credentials, no ACLs, and no Secret for Merit to mount.
        assertThat(kafkaDoc.node().path("spec").path("entityOperator").has("userOperator")).isTrue();
        Map<String, String> kafkaConfig = of(docs, "ConfigMap").stream().filter(d -> d.file().startsWith(
                K8S.resolve("components/strimzi-kafka")) && d.name().equals("merit-config")).findFirst().orElseThrow()
                .as(ConfigMap.class).getData();
        assertThat(kafkaConfig.get("MERIT_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(kafka.getMetadata().getName() + "-kafka-bootstrap:" + port);
        // Merit authenticates as its KafkaUser, with the Secret Strimzi makes for it mounted where its client properties
        // file reads the password, and checks the broker against the cluster CA Strimzi publishes.
        Deployment kafkaMounts = docs.stream().filter(d -> d.file().startsWith(K8S.resolve("components/strimzi-kafka"))
                && d.kind().equals("Deployment")).findFirst().orElseThrow().as(Deployment.class);
        Map<String, String> mountOf = new HashMap<>();
        for (var m : kafkaMounts.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts()) {
            mountOf.put(m.getName(), m.getMountPath());
        }
        Map<String, String> mountOfSecret = new HashMap<>();
        String clientMap = null;
        String clientMount = null;
        for (var v : kafkaMounts.getSpec().getTemplate().getSpec().getVolumes()) {
            if (v.getSecret() != null) {
                mountOfSecret.put(v.getSecret().getSecretName(), mountOf.get(v.getName()));
            } else if (v.getConfigMap() != null) {
                clientMap = v.getConfigMap().getName();
                clientMount = mountOf.get(v.getName());
            }
        }
        String clientMapName = clientMap;
        java.util.Properties client = new java.util.Properties();
        client.load(new java.io.StringReader(of(docs, "ConfigMap").stream().filter(d -> d.name().equals(clientMapName))
                .findFirst().orElseThrow().as(ConfigMap.class).getData().get("client.properties")));
        assertThat(kafkaConfig.get("MERIT_KAFKA_PROPERTIES_FILE")).isEqualTo(clientMount + "/client.properties");
        assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(client.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        Doc meritUser = of(docs, "KafkaUser").stream().filter(u -> mountOfSecret.containsKey(u.name())).findFirst().orElseThrow();
        assertThat(client.getProperty("sasl.jaas.config")).isEqualTo("${dir:" + mountOfSecret.get(meritUser.name()) + ":sasl.jaas.config}");
        assertThat(client.getProperty("ssl.truststore.location"))
                .isEqualTo(mountOfSecret.get(kafka.getMetadata().getName() + "-cluster-ca-cert") + "/ca.crt");
        // Its rights are what it does: read the contributions in its group, write dead letters and lifecycle events.
        var meritConfig = ConfigProvider.getConfig();
        Map<String, Set<String>> rights = new HashMap<>();
        for (JsonNode acl : meritUser.node().path("spec").path("authorization").path("acls")) {
            Set<String> ops = new HashSet<>();
            acl.path("operations").forEach(o -> ops.add(o.asText()));
            rights.put(acl.path("resource").path("type").asText() + ":" + acl.path("resource").path("name").asText(), ops);
        }
        assertThat(rights).isEqualTo(Map.of(
                "topic:" + meritConfig.getValue("merit.kafka.topic", String.class), Set.of("Read", "Describe"),
                "group:" + meritConfig.getValue("merit.kafka.group", String.class), Set.of("Read"),
                "topic:" + meritConfig.getValue("merit.kafka.dead-letter-topic", String.class), Set.of("Write", "Describe"),
                "topic:" + meritConfig.getValue("merit.kafka.events-topic", String.class), Set.of("Write", "Describe")));
        for (Doc u : of(docs, "KafkaUser")) {
            assertThat(u.node().path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(kafka.getMetadata().getName());
        }
        var config = ConfigProvider.getConfig();
        Set<String> topics = new HashSet<>();
        for (Doc t : of(docs, "KafkaTopic")) {
            assertThat(t.node().path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(kafka.getMetadata().getName());
            topics.add(t.name());
        }
        assertThat(topics).contains(config.getValue("merit.kafka.topic", String.class),
                config.getValue("merit.kafka.dead-letter-topic", String.class), config.getValue("merit.kafka.events-topic", String.class));
        for (Doc pool : of(docs, "KafkaNodePool")) {
            assertThat(pool.node().path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(kafka.getMetadata().getName());
        }

        // CloudNativePG: Merit reads its connection from the secret the Cluster creates.
        String cluster = of(docs, "Cluster").get(0).name();
        Deployment db = docs.stream().filter(d -> d.file().startsWith(K8S.resolve("components/cnpg-postgres"))
                && d.kind().equals("Deployment")).findFirst().orElseThrow().as(Deployment.class);
        assertThat(db.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .allMatch(e -> e.getValueFrom().getSecretKeyRef().getName().equals(cluster + "-app"))
                .extracting(EnvVar::getName).contains("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_PASSWORD");
    }

    private static Doc base(List<Doc> docs, String kind) {
        return docs.stream().filter(d -> d.file().startsWith(K8S.resolve("base")) && d.kind().equals(kind)).findFirst().orElseThrow();
    }

    private static List<String> images(List<Doc> docs, String dir) {
        return docs.stream().filter(d -> d.file().startsWith(K8S.resolve(dir)) && isKustomization(d))
                .flatMap(d -> { List<String> tags = new ArrayList<>(); d.node().path("images").forEach(i -> tags.add(i.path("newTag").asText())); return tags.stream(); })
                .toList();
    }

    /** Environment names of every key Merit reads: its @ConfigMapping interfaces, plus the keys it configures. */
    private static Set<String> knownEnvironmentNames() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> mapping : List.of(ChainConfig.class, WebConfig.class, dev.merit.security.AuthConfig.class, PayrollConfig.class, CiConfig.class,
                WebhookConfig.class, IngestConfig.class, KafkaConfig.class, GraphConfig.class, ScoringConfig.class)) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, keys);
        }
        for (String name : ConfigProvider.getConfig().getPropertyNames()) {
            if (name.startsWith("quarkus.") || name.startsWith("merit.")) {
                keys.add(name);
            }
        }
        keys.add("merit.leader.check-interval");
        keys.add("merit.leader.lock-key");
        keys.add("quarkus.http.proxy.proxy-address-forwarding");
        keys.add("quarkus.http.proxy.allow-x-forwarded");
        keys.add("quarkus.http.proxy.trusted-proxies");
        Set<String> env = new TreeSet<>();
        keys.forEach(k -> env.add(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        env.add(ConfigProvider.getConfig().getValue("merit.chain.signer-key-env", String.class));
        return env;
    }

    private static void collect(String prefix, Class<?> type, Set<String> keys) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault()
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String key = prefix + "." + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> r = m.getReturnType();
            if (r.isInterface() && r.getName().startsWith("dev.merit.")) {
                collect(key, r, keys);
            } else {
                keys.add(key);
            }
        }
    }
}
