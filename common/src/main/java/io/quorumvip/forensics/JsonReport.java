package io.quorumvip.forensics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The report as JSON: times as ISO-8601 and as µs since 1970, durations in µs. */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static ObjectNode toJson(ForensicsReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("split_brain", report.splitBrain());
        root.put("clock_uncertainty_micros", report.settings().clockUncertaintyMicros());
        root.put("lease_grace_micros", report.settings().leaseGraceMicros());
        root.put("first", Times.instant(report.firstMicros()));
        root.put("last", Times.instant(report.lastMicros()));
        report.nodes().forEach(root.putArray("nodes")::add);
        report.notes().forEach(root.putArray("notes")::add);
        ArrayNode incidents = root.putArray("incidents");
        for (Incident incident : report.incidents()) {
            ObjectNode json = incidents.addObject();
            json.put("kind", incident.kind().name());
            json.put("severity", incident.kind().severity().name());
            json.put("start", Times.instant(incident.startMicros()));
            json.put("end", Times.instant(incident.endMicros()));
            json.put("start_micros", incident.startMicros());
            json.put("end_micros", incident.endMicros());
            json.put("min_duration_micros", incident.minDurationMicros());
            json.put("max_duration_micros", incident.maxDurationMicros());
            incident.nodes().forEach(json.putArray("nodes")::add);
            json.put("instance", incident.instance());
            json.put("vrid", incident.vrid());
            json.put("address", incident.address());
            json.put("summary", incident.summary());
            ArrayNode causes = json.putArray("causes");
            for (CauseStep step : incident.causes()) {
                ObjectNode cause = causes.addObject();
                cause.put("node", step.node());
                cause.put("seq", step.seq());
                cause.put("time", Times.instant(step.timeMicros()));
                cause.put("hlc", step.hlc());
                cause.put("text", step.text());
            }
            incident.notes().forEach(json.putArray("notes")::add);
        }
        ArrayNode vips = root.putArray("vips");
        for (VipSummary vip : report.vips()) {
            ObjectNode json = vips.addObject();
            json.put("address", vip.address());
            json.put("instance", vip.instance());
            json.put("no_owner_incidents", vip.noOwnerIncidents());
            json.put("dual_ownership_incidents", vip.dualOwnershipIncidents());
            ArrayNode owners = json.putArray("owners");
            vip.owners().forEach(o -> owners.addObject().put("node", o.node()).put("owned_micros", o.ownedMicros())
                    .put("binds", o.binds()));
        }
        ArrayNode intervals = root.putArray("intervals");
        for (Interval interval : report.intervals()) {
            ObjectNode json = intervals.addObject();
            json.put("kind", interval.kind().name());
            json.put("node", interval.node());
            json.put("instance", interval.instance());
            json.put("vrid", interval.vrid());
            json.put("subject", interval.subject());
            json.put("start_micros", interval.startMicros());
            json.put("end_min_micros", interval.endMinMicros());
            json.put("end_max_micros", interval.endMaxMicros());
            json.put("end_reason", interval.endReason().name());
        }
        return root;
    }

    public static String render(ForensicsReport report) {
        try {
            return MAPPER.writeValueAsString(toJson(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("forensics report does not serialise: " + e.getMessage(), e);
        }
    }
}
