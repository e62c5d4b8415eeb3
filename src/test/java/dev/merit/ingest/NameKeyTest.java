package dev.merit.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which names a same-name suggestion pairs (open-feature/java-sdk has both single-word cases below). */
class NameKeyTest {

    @Test
    void namesOfTwoWordsOrALongHandleArePaired() {
        assertThat(IdentityMerges.nameKey("José  Núñez")).isEqualTo(IdentityMerges.nameKey("jose nunez"));
        assertThat(IdentityMerges.nameKey("Vishalup29")).isEqualTo(IdentityMerges.nameKey("vishalup29")).isNotNull();
        assertThat(IdentityMerges.nameKey("ThomasKrieger")).isEqualTo("thomaskrieger");
    }

    @Test
    void shortOrSharedNamesAreNot() {
        assertThat(IdentityMerges.nameKey("Dave")).isNull();
        assertThat(IdentityMerges.nameKey("Michael")).as("a first name, not a handle").isNull();
        assertThat(IdentityMerges.nameKey("Administrator")).isNull();
        assertThat(IdentityMerges.nameKey("Abhay")).isNull();
        assertThat(IdentityMerges.nameKey("ubuntu")).isNull();
        assertThat(IdentityMerges.nameKey("Runner")).isNull();
        assertThat(IdentityMerges.nameKey("12345 678")).isNull();
        assertThat(IdentityMerges.nameKey(null)).isNull();
    }
}
