package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DnsMessageAndUdpReplyTest {

    @Test
    void shouldWriteOneQuestionWithRecursionDesired() {
        byte[] query = DnsMessage.query(0x1234, "rs1.lab.example.", "A");

        assertThat(HexFormat.of().formatHex(query)).isEqualTo("1234" + "0100" + "0001" + "0000" + "0000" + "0000"
                + "03727331" + "036c6162" + "076578616d706c65" + "00" + "0001" + "0001");
    }

    @Test
    void shouldAcceptAnAnswerWithTheSameIdAndRcodeZero() {
        byte[] answer = DnsMessage.query(7, "example.org", "SOA");
        answer[2] = (byte) 0x81;
        answer[3] = (byte) 0x80;

        assertThat(DnsMessage.problem(7, answer)).isEmpty();
    }

    @Test
    void shouldNameTheRcodeOfAFailedAnswer() {
        byte[] answer = DnsMessage.query(7, "missing.example.org", "A");
        answer[2] = (byte) 0x81;
        answer[3] = (byte) 0x83;

        assertThat(DnsMessage.problem(7, answer)).contains("DNS RCODE 3 NXDOMAIN");
        assertThat(DnsMessage.rcode(answer)).isEqualTo(3);
    }

    @Test
    void shouldRefuseAnAnswerToAnotherQueryOrAQuery() {
        byte[] answer = DnsMessage.query(8, "example.org", "A");

        assertThat(DnsMessage.problem(9, answer)).contains("DNS answer id 8 does not match the query's 9");
        assertThat(DnsMessage.problem(8, answer)).contains("DNS message is a query, not an answer");
    }

    @Property
    void shouldNeverThrowOnAnyBytes(@ForAll byte[] bytes, @ForAll char id) {
        assertThat(DnsMessage.problem(id, bytes)).isNotNull();
    }

    @Test
    void shouldMatchAReplyNibbleByNibbleWithWildcards() {
        byte[] reply = HexFormat.of().parseHex("0a1b2c3d");

        assertThat(UdpReply.problem(reply, Optional.of("0a1x2c"), 0, 0)).isEmpty();
        assertThat(UdpReply.problem(reply, Optional.of("0a1c"), 0, 0))
                .contains("reply 0a1b2c3d does not match the pattern 0a1c");
        assertThat(UdpReply.problem(reply, Optional.empty(), 5, 0))
                .contains("reply of 4 bytes is shorter than min_reply_length 5");
        assertThat(UdpReply.problem(reply, Optional.empty(), 0, 3))
                .contains("reply of 4 bytes is longer than max_reply_length 3");
    }
}
