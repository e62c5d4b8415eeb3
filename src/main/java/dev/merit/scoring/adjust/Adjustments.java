package dev.merit.scoring.adjust;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The scoring rules beyond the model's, in the order their factors apply (before graph credit). */
@ApplicationScoped
public class Adjustments {

    private final List<Adjustment> all;
    private final DeclinedAdjustment declined;

    public Adjustments(CopyAdjustment copies, WithdrawnAdjustment withdrawn, DeclinedAdjustment declined,
                       TrivialCommentAdjustment trivial, RepeatAdjustment repeat, CiAdjustment ci) {
        this.all = List.of(copies, withdrawn, declined, trivial, repeat, ci);
        this.declined = declined;
    }

    public List<Adjustment> all() {
        return all;
    }

    public DeclinedAdjustment declined() {
        return declined;
    }
}
