package dev.merit.scoring.classify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pretrained word-piece vectors: what a message's words mean, learnt by a language model from far more text than
 * commit histories hold, so that "speed up", "faster" and "cache" sit near each other even in a project whose words
 * the classifier never saw. The table is the input layer of all-MiniLM-L6-v2 (Apache-2.0), projected on its first
 * principal axes and stored as int8 with one scale ({@code models/word-vectors/README.md} says how it is rebuilt).
 * A message's vector is the mean of its subject's pieces' vectors: linear, so what each word added to a prediction is
 * known exactly.
 */
public final class WordVectors {

    public static final String TABLE = "word-vectors.bin";
    public static final String VOCABULARY = "vocab.txt";
    /** The pieces of a subject read (the first). */
    static final int MAX_PIECES = 46;
    private static final byte[] MAGIC = "MWV1".getBytes(StandardCharsets.US_ASCII);

    private final WordPieces pieces;
    private final int dims;
    private final float[] table;
    /** The files as read, by name: what a model trained on them carries (never read again from disk). */
    private final Map<String, byte[]> files;

    private WordVectors(WordPieces pieces, int dims, float[] table, Map<String, byte[]> files) {
        this.pieces = pieces;
        this.dims = dims;
        this.table = table;
        this.files = files;
    }

    /** Reads {@link #TABLE} and {@link #VOCABULARY}; refuses a table that does not fit its vocabulary. */
    public static WordVectors read(Path dir) throws IOException {
        return parse(dir, files(dir));
    }

    /** The bytes of {@link #TABLE} and {@link #VOCABULARY} in {@code dir}, by name. */
    static Map<String, byte[]> files(Path dir) throws IOException {
        return Map.of(VOCABULARY, Files.readAllBytes(dir.resolve(VOCABULARY)), TABLE,
                Files.readAllBytes(dir.resolve(TABLE)));
    }

    /** {@link #read} of files already read ({@link #files}); {@code dir} names them in a refusal. */
    static WordVectors parse(Path dir, Map<String, byte[]> files) throws IOException {
        byte[] vocabularyBytes = files.get(VOCABULARY);
        byte[] tableBytes = files.get(TABLE);
        List<String> vocabulary = new String(vocabularyBytes, StandardCharsets.UTF_8).lines().toList();
        ByteBuffer in = ByteBuffer.wrap(tableBytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        if (in.remaining() < 16 || !java.util.Arrays.equals(magic(in, magic), MAGIC)) {
            throw new IOException(dir.resolve(TABLE) + " is not a word-vector table (no MWV1 header)");
        }
        int rows = in.getInt();
        int dims = in.getInt();
        float scale = in.getFloat();
        boolean fits = dims >= 1 && dims <= CommitFeatures.MAX_FEATURES && in.remaining() == (long) rows * dims
                && Float.isFinite(scale) && scale > 0;
        if (rows != vocabulary.size() || !fits) {
            throw new IOException(dir.resolve(TABLE) + " holds " + rows + " x " + dims + " in " + in.remaining()
                    + " bytes at scale " + scale + ", for a vocabulary of " + vocabulary.size());
        }
        float[] table = new float[rows * dims];
        for (int i = 0; i < table.length; i++) {
            table[i] = in.get() * scale;
        }
        return new WordVectors(new WordPieces(vocabulary), dims, table, files);
    }

    private static byte[] magic(ByteBuffer in, byte[] into) {
        in.get(into);
        return into;
    }

    /** {@link #read}, a problem being an {@link java.io.UncheckedIOException}. */
    public static WordVectors readOrFail(Path dir) {
        try {
            return read(dir);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? e.getMessage() + " does not exist"
                    : e.getMessage();
            throw new java.io.UncheckedIOException("cannot read the word vectors in " + dir.toAbsolutePath() + ": "
                    + why, e);
        }
    }

    /** Writes the table and vocabulary as they were read into {@code dir}: each file's SHA-256, by name. */
    Map<String, String> writeTo(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        return sha256s(files);
    }

    /** Each file's SHA-256, by name (what a model's manifest records of its word vectors). */
    static Map<String, String> sha256s(Map<String, byte[]> files) {
        Map<String, String> out = new TreeMap<>();
        files.forEach((name, content) -> out.put(name, TypeClassifier.sha256(content)));
        return out;
    }

    public int dims() {
        return dims;
    }

    /** The ids of a subject's pieces (at most {@link #MAX_PIECES}). */
    int[] pieceIds(String subject) {
        return pieces.ids(subject, MAX_PIECES);
    }

    /** Adds piece {@code id}'s vector to {@code out}. */
    void addTo(int id, float[] out) {
        int from = id * dims;
        for (int d = 0; d < dims; d++) {
            out[d] += table[from + d];
        }
    }
}
