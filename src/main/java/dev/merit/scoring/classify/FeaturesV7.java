package dev.merit.scoring.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What features-v7 adds to features-v6: the meaning of the subject's words, as pretrained word vectors read them
 * ({@link WordVectors}). The subject's word pieces' vectors are averaged and scaled to length one, and take the last
 * {@code dims} rows of the model's layer (the named features are hashed into the rows before them). Each of those
 * entries is named {@link #MEANING}: a prediction's explanation sums them into one push, "what the subject's words
 * mean".
 */
final class FeaturesV7 {

    /** The name of every meaning entry of a vector. */
    static final String MEANING = "meaning";

    private FeaturesV7() {
    }

    /** The subject (first line) of a message whose prefix is removed, without trailers, as the words are read. */
    static String subject(String strippedMessage) {
        String text = MessageText.readable(strippedMessage);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** {@code v} followed by the subject's meaning in rows {@code first} to {@code first + dims - 1}. */
    static CommitFeatures.Vector withMeaning(CommitFeatures.Vector v, String strippedMessage, WordVectors vectors,
                                             int first) {
        int[] pieces = vectors.pieceIds(subject(strippedMessage));
        if (pieces.length == 0) {
            return v;
        }
        int dims = vectors.dims();
        float[] mean = new float[dims];
        for (int id : pieces) {
            vectors.addTo(id, mean);
        }
        double norm = 0;
        for (float x : mean) {
            norm += (double) x * x;
        }
        if (norm == 0) {
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        int n = v.size();
        int[] buckets = Arrays.copyOf(v.buckets(), n + dims);
        float[] weights = Arrays.copyOf(v.weights(), n + dims);
        List<String> names = new ArrayList<>(n + dims);
        names.addAll(v.names());
        for (int d = 0; d < dims; d++) {
            buckets[n + d] = first + d;
            weights[n + d] = mean[d] * scale;
            names.add(MEANING);
        }
        return new CommitFeatures.Vector(buckets, weights, names);
    }
}
