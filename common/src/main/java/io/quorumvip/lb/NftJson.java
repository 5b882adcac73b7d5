package io.quorumvip.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Builders for libnftables-json(5) expressions and statements: the vocabulary the program is written in. */
final class NftJson {

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private NftJson() {
    }

    static ObjectNode object(String key, JsonNode value) {
        ObjectNode node = F.objectNode();
        node.set(key, value);
        return node;
    }

    static ArrayNode array(JsonNode... items) {
        ArrayNode array = F.arrayNode();
        for (JsonNode item : items) {
            array.add(item);
        }
        return array;
    }

    static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode array = F.arrayNode();
        items.forEach(array::add);
        return array;
    }

    static ObjectNode payload(String protocol, String field) {
        ObjectNode p = F.objectNode();
        p.put("protocol", protocol);
        p.put("field", field);
        return object("payload", p);
    }

    static ObjectNode meta(String key) {
        return object("meta", F.objectNode().put("key", key));
    }

    static ObjectNode ct(String key) {
        return object("ct", F.objectNode().put("key", key));
    }

    static ObjectNode match(JsonNode left, JsonNode right) {
        ObjectNode m = F.objectNode();
        m.put("op", "==");
        m.set("left", left);
        m.set("right", right);
        return object("match", m);
    }

    static ObjectNode fibDaddrIsLocal() {
        ObjectNode fib = F.objectNode();
        fib.put("result", "type");
        fib.set("flags", array(F.textNode("daddr")));
        return match(object("fib", fib), F.textNode("local"));
    }

    static ObjectNode and(JsonNode left, JsonNode right) {
        return object("&", array(left, right));
    }

    static ObjectNode or(JsonNode left, JsonNode right) {
        return object("|", array(left, right));
    }

    static ObjectNode concat(List<? extends JsonNode> items) {
        return items.size() == 1 ? (ObjectNode) items.get(0) : object("concat", array(items));
    }

    static ObjectNode gotoChain(String chain) {
        return object("goto", F.objectNode().put("target", chain));
    }

    static ObjectNode counter() {
        return object("counter", F.nullNode());
    }

    /** {@code counter name EXPR}: the named counter the expression names (a string, or a map lookup). */
    static ObjectNode counterNamed(JsonNode name) {
        return object("counter", name);
    }

    static ObjectNode range(int from, int to) {
        return object("range", array(F.numberNode(from), F.numberNode(to)));
    }

    /** {@code KEY vmap { ... }} with an anonymous map. */
    static ObjectNode vmap(JsonNode key, ArrayNode elements) {
        ObjectNode v = F.objectNode();
        v.set("key", key);
        v.set("data", object("set", elements));
        return object("vmap", v);
    }

    /** {@code KEY vmap @name}. */
    static ObjectNode vmapNamed(JsonNode key, String map) {
        return lookup("vmap", key, map);
    }

    /** {@code KEY map @name}: the value a named data map holds for the key. */
    static ObjectNode mapNamed(JsonNode key, String map) {
        return lookup("map", key, map);
    }

    private static ObjectNode lookup(String kind, JsonNode key, String map) {
        ObjectNode v = F.objectNode();
        v.set("key", key);
        v.put("data", "@" + map);
        return object(kind, v);
    }

    static ObjectNode numgenInc(int mod) {
        return object("numgen", F.objectNode().put("mode", "inc").put("mod", mod));
    }

    static ObjectNode jhash(JsonNode expression, int mod, long seed) {
        ObjectNode j = F.objectNode();
        j.put("mod", mod);
        j.put("seed", seed);
        j.set("expr", expression);
        return object("jhash", j);
    }

    static ObjectNode mangle(JsonNode key, JsonNode value) {
        ObjectNode m = F.objectNode();
        m.set("key", key);
        m.set("value", value);
        return object("mangle", m);
    }

    static ObjectNode updateSet(JsonNode element, String set) {
        ObjectNode s = F.objectNode();
        s.put("op", "update");
        s.set("elem", element);
        s.put("set", "@" + set);
        return object("set", s);
    }
}
