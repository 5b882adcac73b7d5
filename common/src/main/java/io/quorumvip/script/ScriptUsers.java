package io.quorumvip.script;

import io.quorumvip.config.GlobalDefs;
import java.util.Optional;

/**
 * Who scripts run as (keepalived's {@code get_default_script_user}): a script's own {@code USER [GROUP]}, else
 * global_defs {@code script_user}, else {@code keepalived_script} when that user exists, else the agent's own user.
 *
 * @param defaultUser {@code USER [GROUP]} for scripts with none of their own; empty: the agent's user
 */
public record ScriptUsers(Optional<String> defaultUser) {

    /** Scripts without a user run as the agent: no script_user and no keepalived_script user. */
    public static final ScriptUsers AGENT = new ScriptUsers(Optional.empty());

    public static ScriptUsers of(GlobalDefs global, ScriptHost host) {
        if (global.scriptUser().isPresent()) {
            return new ScriptUsers(global.scriptUser());
        }
        return host.account(ScriptSecurity.DEFAULT_USER, Optional.empty()).isPresent()
                ? new ScriptUsers(Optional.of(ScriptSecurity.DEFAULT_USER)) : AGENT;
    }

    /** {@code USER [GROUP]} for a script whose own words are {@code own}; empty: the agent's user. */
    public Optional<String> runAs(Optional<String> own) {
        return own.or(() -> defaultUser);
    }
}
