package io.quorumvip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class KeywordSuggesterTest {

    private static final List<String> TOP = List.of("global_defs", "vrrp_script", "vrrp_instance", "quorum",
            "virtual_server", "vrrp_sync_group");

    @Test
    void shouldSuggestTheKeywordATypoWasMeantToBe() {
        assertThat(KeywordSuggester.closest("vrrp_instace", TOP)).contains("vrrp_instance");
        assertThat(KeywordSuggester.closest("vrrp_insatnce", TOP)).contains("vrrp_instance");
        assertThat(KeywordSuggester.closest("globl_defs", TOP)).contains("global_defs");
    }

    @Test
    void shouldSuggestNothingForAWordFarFromEveryKeyword() {
        assertThat(KeywordSuggester.closest("hostname", TOP)).isEmpty();
    }

    @Property
    void distanceShouldBeZeroOnlyForEqualWordsAndSymmetric(@ForAll @AlphaChars @StringLength(max = 12) String a,
                                                           @ForAll @AlphaChars @StringLength(max = 12) String b) {
        assertThat(KeywordSuggester.distance(a, a)).isZero();
        assertThat(KeywordSuggester.distance(a, b)).isEqualTo(KeywordSuggester.distance(b, a));
        assertThat(KeywordSuggester.distance(a, b) == 0).isEqualTo(a.equals(b));
        assertThat(KeywordSuggester.distance(a, b)).isLessThanOrEqualTo(Math.max(a.length(), b.length()));
    }

    @Property
    void oneDeletedLetterShouldBeSuggestedBack(@ForAll("keywordIndex") int keyword, @ForAll("position") int at) {
        String word = TOP.get(keyword);
        int cut = at % word.length();
        String typo = word.substring(0, cut) + word.substring(cut + 1);

        assertThat(KeywordSuggester.closest(typo, TOP)).contains(word);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> keywordIndex() {
        return net.jqwik.api.Arbitraries.integers().between(0, TOP.size() - 1);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> position() {
        return net.jqwik.api.Arbitraries.integers().between(0, 100);
    }
}
