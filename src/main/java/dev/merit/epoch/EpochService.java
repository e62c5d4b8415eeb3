package dev.merit.epoch;

import dev.merit.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class EpochService {

    /** What a new epoch needs; amounts in token base units. */
    public record NewEpoch(String name, Instant startsAt, Instant endsAt, BigInteger budget, Integer tokenDecimals,
                           PayoutPolicy policy) {
    }

    public List<Epoch> list() {
        return Epoch.listAll(Sort.by("startsAt").and("id"));
    }

    public Epoch get(long id) {
        return Epoch.<Epoch>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("epoch", id));
    }

    public Optional<Epoch> findByName(String name) {
        return Epoch.find("name", name).firstResultOptional();
    }

    @Transactional
    public Epoch create(NewEpoch request) {
        PayoutPolicy policy = request.policy() == null
                ? new PayoutPolicy(BigInteger.ZERO, null, false, false) : request.policy();
        validate(request, policy);
        Optional<Epoch> sameName = findByName(request.name().strip());
        if (sameName.isPresent()) {
            Epoch existing = sameName.get();
            throw new ProblemException(409, "epoch-exists", "Epoch exists",
                    "An epoch named '" + existing.name + "' already exists (id " + existing.id + ").",
                    Map.of("epochId", existing.id));
        }
        Epoch epoch = new Epoch();
        epoch.name = request.name().strip();
        epoch.startsAt = request.startsAt();
        epoch.endsAt = request.endsAt();
        epoch.budget = request.budget();
        epoch.tokenDecimals = request.tokenDecimals() == null ? 18 : request.tokenDecimals();
        epoch.minPayout = policy.minPayout();
        epoch.cap = policy.cap();
        epoch.sqrtDampening = policy.sqrtDampening();
        epoch.includeBots = policy.includeBots();
        epoch.createdAt = Instant.now();
        epoch.persist();
        return epoch;
    }

    /** Checks a budget against a policy; shared by epoch creation and proposals that override the budget. */
    public static void validateBudget(BigInteger budget, PayoutPolicy policy) {
        if (budget == null || budget.signum() <= 0) {
            throw ProblemException.invalid("budget must be a positive whole number of token base units, got "
                    + budget + ".");
        }
        if (policy.minPayout().signum() < 0) {
            throw ProblemException.invalid("minPayout cannot be negative, got " + policy.minPayout() + ".");
        }
        if (policy.cap() != null && policy.cap().signum() <= 0) {
            throw ProblemException.invalid("cap must be positive when set, got " + policy.cap() + ".");
        }
        if (policy.cap() != null && policy.cap().compareTo(policy.minPayout()) < 0) {
            throw ProblemException.invalid("cap (" + policy.cap() + ") is below minPayout (" + policy.minPayout()
                    + "): no payout could satisfy both. Raise the cap or lower the minimum.");
        }
        if (budget.compareTo(policy.minPayout()) < 0) {
            throw ProblemException.invalid("budget (" + budget + ") is below minPayout (" + policy.minPayout()
                    + "): nobody could be paid.");
        }
    }

    private static void validate(NewEpoch request, PayoutPolicy policy) {
        if (request.name() == null || request.name().isBlank()) {
            throw ProblemException.invalid("name is required, e.g. \"2026-11\".");
        }
        if (request.startsAt() == null || request.endsAt() == null) {
            throw ProblemException.invalid("startsAt and endsAt are required (ISO-8601 instants).");
        }
        if (!request.startsAt().isBefore(request.endsAt())) {
            throw ProblemException.invalid("startsAt (" + request.startsAt() + ") must be before endsAt ("
                    + request.endsAt() + ").");
        }
        if (request.tokenDecimals() != null && (request.tokenDecimals() < 0 || request.tokenDecimals() > 36)) {
            throw ProblemException.invalid("tokenDecimals must be between 0 and 36, got " + request.tokenDecimals() + ".");
        }
        validateBudget(request.budget(), policy);
    }
}
