package dev.merit.ingest.git;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which registered locations anyone may read: clone URLs, not paths on Merit's machine (AccessControlTest reads both).
 */
class RepositoryLocationTest {

    @Test
    void cloneUrlsArePublicAndServerPathsAreNot() {
        for (String url : new String[] {"https://github.com/acme/widget.git", "ssh://git@host.example/x.git",
            "git@github.com:acme/widget.git", "http://127.0.0.1:3000/a/b"}) {
            assertTrue(RepositoryResource.RepositoryView.isUrl(url), url);
        }
        for (String path : new String[] {"/srv/repos/widget", "C:\\repos\\widget", "file:///srv/repos/widget",
            "FILE:/srv/x", "../widget", "/home/me@work:x"}) {
            assertFalse(RepositoryResource.RepositoryView.isUrl(path), path);
        }
    }
}
