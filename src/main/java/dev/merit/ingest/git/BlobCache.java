package dev.merit.ingest.git;

import org.eclipse.jgit.lib.ObjectId;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Split file versions shared by diff workers. Walking newest first, the version a commit diffs against (its
 * parent's) is the one the parent commit introduced, diffed next: keeping it saves a second inflate and split.
 * Bounded by bytes; oldest entries go first.
 */
final class BlobCache {

    private final long maxBytes;
    private final ConcurrentHashMap<ObjectId, HashedText> entries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ObjectId> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();

    BlobCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The cached text of a version a later (older) commit will not ask for again. */
    HashedText take(ObjectId id) {
        HashedText text = entries.remove(id);
        if (text != null) {
            bytes.addAndGet(-text.content().length);
        }
        return text;
    }

    HashedText peek(ObjectId id) {
        return entries.get(id);
    }

    void put(ObjectId id, HashedText text) {
        if (text.content().length > maxBytes / 8 || entries.putIfAbsent(id.copy(), text) != null) {
            return;
        }
        order.add(id.copy());
        long total = bytes.addAndGet(text.content().length);
        while (total > maxBytes) {
            ObjectId oldest = order.poll();
            if (oldest == null) {
                break;
            }
            HashedText evicted = entries.remove(oldest);
            total = evicted == null ? bytes.get() : bytes.addAndGet(-evicted.content().length);
        }
    }
}
