package io.quorumvip.config;

/** ZooKeeper digest credentials ({@code digest user:password}); znodes get an ACL for this identity. */
public record DigestCredentials(String user, String password) {

    /** {@code user:password}, as ZooKeeper's addAuthInfo("digest", ...) wants it. */
    public String authString() {
        return user + ":" + password;
    }

    /** Never prints the password: records end up in logs. */
    @Override
    public String toString() {
        return "DigestCredentials[user=" + user + ", password=***]";
    }
}
