package io.quorumvip.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads a coordinator's answer to a POST of records: the status decides, the JSON body gives the acked seq. */
final class CoordinatorAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CoordinatorAnswers() {
    }

    static CoordinatorAnswer read(int status, String body) {
        if (status >= 500) {
            return new CoordinatorAnswer.Unavailable("unavailable", "HTTP " + status + ": " + abbreviated(body));
        }
        if (status == 200 || status == 409) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return new CoordinatorAnswer.Unavailable("bad_answer", "HTTP " + status + " with a body that is not JSON: " + abbreviated(body));
            }
            JsonNode acked = json == null ? null : json.get("acked_seq");
            if (acked == null || !acked.canConvertToLong() || acked.asLong() < 0) {
                return new CoordinatorAnswer.Unavailable("bad_answer", "HTTP " + status + " without a valid acked_seq: " + abbreviated(body));
            }
            return status == 200 ? new CoordinatorAnswer.Acked(acked.asLong())
                    : new CoordinatorAnswer.Conflict(acked.asLong(), json.path("error").asText("(no error given)"));
        }
        return new CoordinatorAnswer.Rejected(status, "HTTP " + status + ": " + abbreviated(body));
    }

    private static String abbreviated(String body) {
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
