package io.quorumvip.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoordinatorAnswersTest {

    @Test
    void shouldReadTheAckedSeqOfA200() {
        assertThat(CoordinatorAnswers.read(200, "{\"node\":\"n1\",\"acked_seq\":42}"))
                .isEqualTo(new CoordinatorAnswer.Acked(42));
    }

    @Test
    void shouldReadTheAckedSeqAndErrorOfA409() {
        assertThat(CoordinatorAnswers.read(409, "{\"node\":\"n1\",\"acked_seq\":4,\"error\":\"got seq 7 (expected 5)\"}"))
                .isEqualTo(new CoordinatorAnswer.Conflict(4, "got seq 7 (expected 5)"));
    }

    @Test
    void shouldTreatA200WithoutAValidAckedSeqAsABadAnswer() {
        assertThat(CoordinatorAnswers.read(200, "{\"acked_seq\":\"many\"}"))
                .isInstanceOfSatisfying(CoordinatorAnswer.Unavailable.class, u -> assertThat(u.kind()).isEqualTo("bad_answer"));
        assertThat(CoordinatorAnswers.read(200, "{\"acked_seq\":-1}"))
                .isInstanceOfSatisfying(CoordinatorAnswer.Unavailable.class, u -> assertThat(u.kind()).isEqualTo("bad_answer"));
        assertThat(CoordinatorAnswers.read(409, "<html>"))
                .isInstanceOfSatisfying(CoordinatorAnswer.Unavailable.class, u -> assertThat(u.kind()).isEqualTo("bad_answer"));
    }

    @Test
    void shouldRejectClientErrorsAndRetryServerErrors() {
        assertThat(CoordinatorAnswers.read(401, "{\"error\":\"wrong token\"}"))
                .isEqualTo(new CoordinatorAnswer.Rejected(401, "HTTP 401: {\"error\":\"wrong token\"}"));
        assertThat(CoordinatorAnswers.read(503, "x".repeat(1000)))
                .isInstanceOfSatisfying(CoordinatorAnswer.Unavailable.class, u -> {
                    assertThat(u.kind()).isEqualTo("unavailable");
                    assertThat(u.error()).hasSizeLessThan(320);
                });
    }
}
