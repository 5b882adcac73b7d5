package io.quorumvip.lb;

import static io.quorumvip.lb.NftJson.F;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The nftables objects the pools become: the agent's own tables ({@value #TABLE} in the families ip, ip6 and
 * netdev), nothing else in the ruleset. Immutable and compared by value, so the agent keeps the program it applied
 * and sends the kernel only {@link #diff the difference} to the next one, as one transaction (kube-proxy's
 * nftables mode: a partial sync), or the {@link #fullTransaction whole program} at start-up and after a failure.
 */
public record NftProgram(List<Table> tables) {

    /** The name of every table the agent owns. */
    public static final String TABLE = "qvip_lb";
    /** The families the agent may own a table in; the full rebuild clears all of them. */
    public static final List<String> FAMILIES = List.of("ip", "ip6", "netdev");

    public static final NftProgram EMPTY = new NftProgram(List.of());

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Up to this many changed elements are looked for one by one rather than through a hash set. */
    private static final int FEW = 8;
    /** The definition of a plain set of marks, whose element changes {@link #elementChanges} carries. */
    private static final ObjectNode MARK_SET = F.objectNode().put("type", "mark");

    public NftProgram {
        tables = List.copyOf(tables);
    }

    /**
     * One family's table.
     *
     * @param counters the names of its named counters, which maps and rules refer to (the agent reads them with a
     *                 netlink dump of the counter objects alone)
     */
    public record Table(String family, List<Chain> chains, List<NamedSet> sets, List<SlotMap> slotMaps,
                        List<String> counters) {
        public Table {
            chains = List.copyOf(chains);
            sets = List.copyOf(sets);
            slotMaps = List.copyOf(slotMaps);
            counters = List.copyOf(counters);
        }
    }

    /**
     * A virtual server's choice: a data map from the packet mark to the packet mark, whose element {@code k} is
     * {@code owners[k]}, the member mark of the real server owning slot {@code k} (the forward chain's maps, {@link
     * NamedSet}s, take it from there to its address or MAC and its counter); empty while no real server serves. The rule
     * that fills the mark never changes with the pool, so a pool change is only the elements of the slots that
     * changed owner. Data, not verdicts: the kernel checks every verdict map element reached from a base chain for
     * loops at each commit that adds one, so a verdict per slot cost a walk of every slot per pool change.
     */
    public record SlotMap(String name, int[] owners) {
        public SlotMap {
            owners = owners.clone();
        }

        /** A copy: the map stays immutable. */
        @Override
        public int[] owners() {
            return owners.clone();
        }

        public int size() {
            return owners.length;
        }

        public int owner(int slot) {
            return owners[slot];
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SlotMap map && name.equals(map.name) && Arrays.equals(owners, map.owners);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(owners);
        }

        @Override
        public String toString() {
            return "SlotMap[name=" + name + ", " + owners.length + " slots]";
        }
    }

    /**
     * A chain with its rules, each rule its list of expressions as libnftables JSON text. Text, not Jackson trees:
     * a tree per rule held ~220,000 nodes (~50 MB) per program at 10,000 real servers, and the agent keeps the
     * applied program beside the next one; the text is a few bytes per node and compares as fast.
     *
     * @param hook for a base chain, its {@code type}, {@code hook}, {@code prio}, {@code policy} (and {@code dev})
     */
    public record Chain(String name, Optional<ObjectNode> hook, List<String> rules) {
        public Chain {
            rules = List.copyOf(rules);
        }
    }

    /**
     * A named set or map: its definition ({@code type}, {@code map}, {@code flags}, {@code timeout}) and the
     * elements the program puts in it (maps: {@code [key, value]}); dynamic sets filled by the kernel have none.
     */
    public record NamedSet(String name, boolean map, ObjectNode definition, List<JsonNode> elements) {
        public NamedSet {
            elements = List.copyOf(elements);
        }
    }

    public Optional<Table> table(String family) {
        return tables.stream().filter(t -> t.family().equals(family)).findFirst();
    }

    /**
     * The whole program as one transaction that also clears whatever an earlier agent left in any owned table
     * ({@code add table; delete table} is a no-op-safe delete): what start-up and a resync apply.
     */
    public String fullTransaction() {
        Commands c = new Commands();
        for (String family : FAMILIES) {
            c.add("add", family, "table", F.objectNode());
            c.add("delete", family, "table", F.objectNode());
        }
        for (Table table : tables) {
            c.add("add", table.family(), "table", F.objectNode());
            table.chains().forEach(chain -> c.addChain(table.family(), chain));
            table.counters().forEach(counter -> c.addCounter(table.family(), counter));
            c.addSetsAndElements(table);
            table.chains().forEach(chain -> c.addRules(table.family(), chain));
        }
        return c.document();
    }

    /** Removes every owned table: a clean stop. */
    public static String removeAll() {
        Commands c = new Commands();
        for (String family : FAMILIES) {
            c.add("add", family, "table", F.objectNode());
            c.add("delete", family, "table", F.objectNode());
        }
        return c.document();
    }

    /**
     * The one transaction that turns {@code applied} into {@code next}, touching only what differs: chains whose rules
     * changed are flushed and refilled, map elements added and removed one by one, and unchanged objects (with the
     * kernel's dynamic persistence entries) left alone. Empty when nothing differs.
     */
    public static Optional<String> diff(NftProgram applied, NftProgram next) {
        if (applied.equals(next)) {
            return Optional.empty();
        }
        Commands c = new Commands();
        List<Runnable> deletions = new ArrayList<>();
        for (Table table : applied.tables()) {
            if (next.table(table.family()).isEmpty()) {
                deletions.add(() -> c.add("delete", table.family(), "table", F.objectNode()));
            }
        }
        for (Table to : next.tables()) {
            Optional<Table> from = applied.table(to.family());
            if (from.isEmpty()) {
                c.add("add", to.family(), "table", F.objectNode());
                to.chains().forEach(chain -> c.addChain(to.family(), chain));
                to.counters().forEach(counter -> c.addCounter(to.family(), counter));
                c.addSetsAndElements(to);
                to.chains().forEach(chain -> c.addRules(to.family(), chain));
            } else {
                tableDiff(c, to.family(), from.get(), to, deletions);
            }
        }
        deletions.forEach(Runnable::run);
        return Optional.of(c.document());
    }

    /**
     * The change from {@code applied} to {@code next} as element changes alone, when that is all it is: the same
     * tables, chains, counters, set definitions and slot maps, and only the elements of slot maps and of plain sets
     * of marks differing (a pool change: the slots that changed owner, the persistence and expire_nodest_conn
     * marks). Empty when anything else differs, which needs {@link #diff}; an empty list when nothing differs. Each
     * change names its deleted keys before its added ones, as the {@link #diff} does.
     */
    public static Optional<List<ElementChange>> elementChanges(NftProgram applied, NftProgram next) {
        if (applied.tables().size() != next.tables().size()) {
            return Optional.empty();
        }
        List<ElementChange> changes = new ArrayList<>();
        for (int t = 0; t < next.tables().size(); t++) {
            Table from = applied.tables().get(t);
            Table to = next.tables().get(t);
            if (!from.family().equals(to.family()) || from.sets().size() != to.sets().size()
                    || from.slotMaps().size() != to.slotMaps().size() || !from.counters().equals(to.counters())
                    || !from.chains().equals(to.chains())) {
                return Optional.empty();
            }
            for (int i = 0; i < to.sets().size(); i++) {
                NamedSet old = from.sets().get(i);
                NamedSet now = to.sets().get(i);
                if (old == now) {
                    continue;
                }
                if (!old.name().equals(now.name()) || old.map() != now.map()
                        || !old.definition().equals(now.definition())) {
                    return Optional.empty();
                }
                if (old.elements().equals(now.elements())) {
                    continue;
                }
                if (old.map() || !now.definition().equals(MARK_SET)) {
                    return Optional.empty();
                }
                Optional<List<Integer>> deleted = marks(missing(old.elements(), now.elements()));
                Optional<List<Integer>> added = marks(missing(now.elements(), old.elements()));
                if (deleted.isEmpty() || added.isEmpty()) {
                    return Optional.empty();
                }
                changes.add(new ElementChange(to.family(), now.name(), false, deleted.get(), added.get(), List.of()));
            }
            for (int i = 0; i < to.slotMaps().size(); i++) {
                SlotMap old = from.slotMaps().get(i);
                SlotMap now = to.slotMaps().get(i);
                if (!old.name().equals(now.name())) {
                    return Optional.empty();
                }
                if (old != now && !old.equals(now)) {
                    changes.add(slotChange(to.family(), old, now));
                }
            }
        }
        return Optional.of(changes);
    }

    /** Element changes as one libnftables transaction: what {@link #diff} would write for them. */
    public static String elementDocument(List<ElementChange> changes) {
        Commands c = new Commands();
        changes.forEach(c::elementChange);
        return c.document();
    }

    /** Mark values as the 32 bits nftables keeps; empty if one is not a mark. */
    private static Optional<List<Integer>> marks(List<JsonNode> elements) {
        List<Integer> marks = new ArrayList<>(elements.size());
        for (JsonNode element : elements) {
            if (!element.isIntegralNumber() || element.asLong() < 0 || element.asLong() > 0xFFFF_FFFFL) {
                return Optional.empty();
            }
            marks.add((int) element.asLong());
        }
        return Optional.of(marks);
    }

    /** The slots whose owner changed, as the slot map diff names them. */
    private static ElementChange slotChange(String family, SlotMap old, SlotMap map) {
        List<Integer> gone = new ArrayList<>();
        List<Integer> keys = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int slots = Math.max(old.size(), map.size());
        for (int slot = 0; slot < slots; slot++) {
            boolean had = slot < old.size();
            boolean has = slot < map.size();
            if (had && has && old.owner(slot) == map.owner(slot)) {
                continue;
            }
            if (had) {
                gone.add(slot);
            }
            if (has) {
                keys.add(slot);
                owners.add(map.owner(slot));
            }
        }
        return new ElementChange(family, map.name(), true, gone, keys, owners);
    }

    private static void tableDiff(Commands c, String family, Table from, Table to, List<Runnable> deletions) {
        Map<String, Chain> oldChains = byName(from.chains(), Chain::name);
        Map<String, Chain> newChains = byName(to.chains(), Chain::name);
        Map<String, NamedSet> oldSets = byName(from.sets(), NamedSet::name);
        Map<String, NamedSet> newSets = byName(to.sets(), NamedSet::name);
        // 1. New chains exist (empty) before anything jumps to them.
        for (Chain chain : to.chains()) {
            Chain old = oldChains.get(chain.name());
            if (old == null || !old.hook().equals(chain.hook())) {
                if (old != null) {
                    c.add("flush", family, "chain", F.objectNode().put("name", chain.name()));
                    c.add("delete", family, "chain", F.objectNode().put("name", chain.name()));
                }
                c.addChain(family, chain);
            }
        }
        // 2. Changed and removed chains are flushed: their references to sets and chains go away first.
        List<Chain> refill = new ArrayList<>();
        for (Chain chain : to.chains()) {
            Chain old = oldChains.get(chain.name());
            if (old != null && old.hook().equals(chain.hook()) && !old.rules().equals(chain.rules())) {
                c.add("flush", family, "chain", F.objectNode().put("name", chain.name()));
                refill.add(chain);
            } else if (old == null || !old.hook().equals(chain.hook())) {
                refill.add(chain);
            }
        }
        for (Chain old : from.chains()) {
            if (!newChains.containsKey(old.name())) {
                c.add("flush", family, "chain", F.objectNode().put("name", old.name()));
            }
        }
        // 3. New counters, then sets and map elements (which may name counters); a set the builder kept (the same
        // object) is passed over without a look inside.
        if (!from.counters().equals(to.counters())) {
            Set<String> had = new HashSet<>(from.counters());
            to.counters().stream().filter(name -> !had.contains(name)).forEach(name -> c.addCounter(family, name));
        }
        for (NamedSet old : from.sets()) {
            NamedSet now = newSets.get(old.name());
            if (now == null || now.map() != old.map() || !now.definition().equals(old.definition())) {
                c.add("delete", family, old.map() ? "map" : "set", F.objectNode().put("name", old.name()));
            } else if (now != old) {
                c.deleteElements(family, old.name(), missing(old.elements(), now.elements()));
            }
        }
        for (NamedSet set : to.sets()) {
            NamedSet old = oldSets.get(set.name());
            if (old == null || old.map() != set.map() || !old.definition().equals(set.definition())) {
                c.addSet(family, set);
                c.addElements(family, set.name(), set.elements());
            } else if (set != old) {
                c.addElements(family, set.name(), missing(set.elements(), old.elements()));
            }
        }
        slotMapDiff(c, family, from, to);
        // 4. Rules of new and changed chains.
        refill.forEach(chain -> c.addRules(family, chain));
        // 5. Removed chains and counters go last, once nothing refers to them.
        for (Chain old : from.chains()) {
            if (!newChains.containsKey(old.name())) {
                deletions.add(() -> c.add("delete", family, "chain", F.objectNode().put("name", old.name())));
            }
        }
        if (!from.counters().equals(to.counters())) {
            Set<String> has = new HashSet<>(to.counters());
            from.counters().stream().filter(name -> !has.contains(name)).forEach(name -> deletions.add(
                    () -> c.add("delete", family, "counter", F.objectNode().put("name", name))));
        }
    }

    /**
     * The elements of {@code these} that {@code those} lacks, in their order. Only the run between the common head
     * and tail is looked up: a change of configuration or MAC leaves a map the same but for the one real server that
     * joined, left or moved, so the head and tail compare cheaply, and hashing all ~1,000 elements of both sides (as
     * a plain set difference does) would cost more than the rest of the diff.
     */
    static List<JsonNode> missing(List<JsonNode> these, List<JsonNode> those) {
        int head = 0;
        int shorter = Math.min(these.size(), those.size());
        while (head < shorter && these.get(head).equals(those.get(head))) {
            head++;
        }
        int end = these.size();
        int otherEnd = those.size();
        while (end > head && otherEnd > head && these.get(end - 1).equals(those.get(otherEnd - 1))) {
            end--;
            otherEnd--;
        }
        List<JsonNode> changed = these.subList(head, end);
        if (changed.isEmpty()) {
            return List.of();
        }
        // Looked up in the whole of those: an element of the changed run may also sit in the head or tail.
        if (changed.size() <= FEW) {
            return changed.stream().filter(e -> !those.contains(e)).toList();
        }
        Set<JsonNode> had = new HashSet<>(those);
        return changed.stream().filter(e -> !had.contains(e)).toList();
    }

    /** Slot maps: only the slots whose owner changed are deleted and added again. */
    private static void slotMapDiff(Commands c, String family, Table from, Table to) {
        Map<String, SlotMap> newMaps = byName(to.slotMaps(), SlotMap::name);
        Map<String, SlotMap> oldMaps = byName(from.slotMaps(), SlotMap::name);
        for (SlotMap old : from.slotMaps()) {
            if (!newMaps.containsKey(old.name())) {
                c.add("delete", family, "map", F.objectNode().put("name", old.name()));
            }
        }
        for (SlotMap map : to.slotMaps()) {
            SlotMap old = oldMaps.get(map.name());
            if (old == null) {
                c.addSlotMap(family, map);
                continue;
            }
            if (old.equals(map)) {
                continue;
            }
            c.elementChange(slotChange(family, old, map));
        }
    }

    /** For look-ups only (a diff of 1,000 real servers makes six of these per change: no streams, sized once). */
    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> byName = new HashMap<>(2 * items.size());
        for (T item : items) {
            byName.putIfAbsent(name.apply(item), item);
        }
        return byName;
    }

    /**
     * A libnftables JSON document being written, each command as soon as it is added. Streamed, not built as one
     * tree: at 10,000 real servers a whole program has ~1,000,000 slot-map elements, and the tree of its transaction
     * took over 400 MB of heap before it became text.
     */
    private static final class Commands {
        private final StringWriter text = new StringWriter();
        private final JsonGenerator out;

        Commands() {
            try {
                out = JSON.getFactory().createGenerator(text);
                out.writeStartObject();
                out.writeArrayFieldStart("nftables");
            } catch (IOException e) {
                throw new UncheckedIOException("writing into memory cannot fail", e);
            }
        }

        void add(String verb, String family, String kind, ObjectNode body) {
            ObjectNode object = F.objectNode();
            object.put("family", family);
            object.put("table", TABLE);
            object.setAll(body);
            if (kind.equals("table")) {
                object.remove("table");
                object.put("name", TABLE);
            }
            try {
                out.writeTree(NftJson.object(verb, NftJson.object(kind, object)));
            } catch (IOException e) {
                throw new UncheckedIOException("writing into memory cannot fail", e);
            }
        }

        void addChain(String family, Chain chain) {
            ObjectNode body = F.objectNode().put("name", chain.name());
            chain.hook().ifPresent(body::setAll);
            add("add", family, "chain", body);
        }

        void addCounter(String family, String name) {
            add("add", family, "counter", F.objectNode().put("name", name));
        }

        void addSet(String family, NamedSet set) {
            ObjectNode body = F.objectNode().put("name", set.name());
            body.setAll(set.definition());
            add("add", family, set.map() ? "map" : "set", body);
        }

        void addSetsAndElements(Table table) {
            table.sets().forEach(set -> addSet(table.family(), set));
            table.sets().forEach(set -> addElements(table.family(), set.name(), set.elements()));
            table.slotMaps().forEach(map -> addSlotMap(table.family(), map));
        }

        /** The map and every slot's element, written token by token: a map can have 16,381 of them. */
        void addSlotMap(String family, SlotMap map) {
            add("add", family, "map", F.objectNode().put("name", map.name()).put("type", "mark").put("map", "mark"));
            if (map.size() == 0) {
                return;
            }
            try {
                out.writeStartObject();
                out.writeObjectFieldStart("add");
                out.writeObjectFieldStart("element");
                out.writeStringField("family", family);
                out.writeStringField("table", TABLE);
                out.writeStringField("name", map.name());
                out.writeArrayFieldStart("elem");
                for (int slot = 0; slot < map.size(); slot++) {
                    out.writeStartArray();
                    out.writeNumber(slot);
                    out.writeNumber(map.owner(slot));
                    out.writeEndArray();
                }
                out.writeEndArray();
                out.writeEndObject();
                out.writeEndObject();
                out.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException("writing into memory cannot fail", e);
            }
        }

        void addElements(String family, String set, List<JsonNode> elements) {
            if (!elements.isEmpty()) {
                ObjectNode body = F.objectNode().put("name", set);
                body.set("elem", NftJson.array(elements));
                add("add", family, "element", body);
            }
        }

        void elementChange(ElementChange change) {
            deleteElements(change.family(), change.set(), change.deleted().stream()
                    .map(key -> (JsonNode) F.numberNode(Integer.toUnsignedLong(key))).toList());
            List<JsonNode> added = new ArrayList<>(change.addedKeys().size());
            for (int i = 0; i < change.addedKeys().size(); i++) {
                JsonNode key = F.numberNode(Integer.toUnsignedLong(change.addedKeys().get(i)));
                added.add(change.map() ? NftJson.array(key,
                        F.numberNode(Integer.toUnsignedLong(change.addedValues().get(i)))) : key);
            }
            addElements(change.family(), change.set(), added);
        }

        void deleteElements(String family, String set, List<JsonNode> elements) {
            if (!elements.isEmpty()) {
                ObjectNode body = F.objectNode().put("name", set);
                body.set("elem", NftJson.array(elements.stream().map(Commands::keyOf).toList()));
                add("delete", family, "element", body);
            }
        }

        /** Deleting a map element names its key only. */
        private static JsonNode keyOf(JsonNode element) {
            return element.isArray() ? element.get(0) : element;
        }

        void addRules(String family, Chain chain) {
            for (String rule : chain.rules()) {
                ObjectNode body = F.objectNode().put("chain", chain.name());
                body.putRawValue("expr", new RawValue(rule));
                add("add", family, "rule", body);
            }
        }

        String document() {
            try {
                out.writeEndArray();
                out.writeEndObject();
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("writing into memory cannot fail", e);
            }
            return text.toString();
        }
    }
}
