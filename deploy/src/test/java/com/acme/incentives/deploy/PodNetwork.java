package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.ofKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the rendered NetworkPolicies let one endpoint of a model open a connection to another, evaluated as a CNI
 * does, pod by pod: the connection must leave the client (its namespace has no policy of ours, or some Egress policy
 * selecting it has a rule whose peers match the server and whose ports include the port) and enter the server (the
 * same, with Ingress rules matching the client). Peers: podSelector and namespaceSelector against the other pod's
 * labels and its namespace's kubernetes.io/metadata.name (no namespaceSelector: the policy's own namespace), ipBlock
 * against the other endpoint's address (pods have addresses too: a CNI may match pod addresses by ipBlock). Named
 * ports resolve against the server's container ports. The policies all live in one namespace (an overlay's).
 */
final class PodNetwork {

    /**
     * A pod (namespace set) or an address outside the cluster (namespace null), with what it listens on
     * ("TCP/5432", "UDP/53") and its named container ports.
     */
    record Endpoint(String name, String namespace, Map<String, String> labels, String ip, Set<String> listens,
            Map<String, Integer> namedPorts) {

        boolean isPod() {
            return namespace != null;
        }
    }

    private final List<ObjectNode> policies;
    private final String namespace;

    PodNetwork(List<ObjectNode> objects) {
        this.policies = ofKind(objects, "NetworkPolicy");
        this.namespace = policies.get(0).path("metadata").path("namespace").asText();
        for (ObjectNode p : policies) {
            if (!p.path("metadata").path("namespace").asText().equals(namespace)) {
                throw new IllegalStateException("NetworkPolicies in two namespaces");
            }
        }
    }

    String namespace() {
        return namespace;
    }

    boolean allows(Endpoint from, Endpoint to, String protocol, int port) {
        return leaves(from, to, protocol, port) && enters(from, to, protocol, port);
    }

    private boolean leaves(Endpoint from, Endpoint to, String protocol, int port) {
        if (!namespace.equals(from.namespace())) {
            return true; // no policy of ours selects it
        }
        return evaluate(from, to, to, "Egress", "egress", "to", protocol, port);
    }

    private boolean enters(Endpoint from, Endpoint to, String protocol, int port) {
        if (!namespace.equals(to.namespace())) {
            return true;
        }
        return evaluate(to, from, to, "Ingress", "ingress", "from", protocol, port);
    }

    /** Policies selecting {@code subject} in this direction; a rule must match {@code peer} and the port. */
    private boolean evaluate(Endpoint subject, Endpoint peer, Endpoint server, String type, String rulesField,
            String peersField, String protocol, int port) {
        JsonNode subjectLabels = Kustomize.json().valueToTree(subject.labels());
        boolean selected = false;
        for (JsonNode policy : policies) {
            JsonNode spec = policy.path("spec");
            if (!LabelSelectors.matches(spec.path("podSelector"), subjectLabels) || !policyTypes(spec).contains(type)) {
                continue;
            }
            selected = true;
            for (JsonNode rule : spec.path(rulesField)) {
                if (peersMatch(rule.path(peersField), peer) && portsMatch(rule.path("ports"), server, protocol, port)) {
                    return true;
                }
            }
        }
        return !selected;
    }

    private static String policyTypes(JsonNode spec) {
        if (spec.has("policyTypes")) {
            return spec.path("policyTypes").toString();
        }
        return spec.has("egress") ? "[Ingress, Egress]" : "[Ingress]";
    }

    private boolean peersMatch(JsonNode peers, Endpoint other) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true; // no "from"/"to": every peer, in the cluster or outside
        }
        for (JsonNode peer : peers) {
            if (peer.has("ipBlock")) {
                if (inBlock(peer.path("ipBlock"), other.ip())) {
                    return true;
                }
                continue;
            }
            if (!other.isPod()) {
                continue; // selectors select pods only
            }
            boolean namespaceOk = peer.has("namespaceSelector")
                    ? LabelSelectors.matches(peer.path("namespaceSelector"), Kustomize.json().createObjectNode()
                            .put("kubernetes.io/metadata.name", other.namespace()))
                    : other.namespace().equals(namespace);
            boolean podOk = !peer.has("podSelector")
                    || LabelSelectors.matches(peer.path("podSelector"), Kustomize.json().valueToTree(other.labels()));
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portsMatch(JsonNode ports, Endpoint server, String protocol, int port) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            if (!p.path("protocol").asText("TCP").equals(protocol)) {
                continue;
            }
            JsonNode value = p.path("port");
            if (value.isMissingNode()) {
                return true;
            }
            Integer number = value.isInt() ? Integer.valueOf(value.asInt()) : server.namedPorts().get(value.asText());
            if (number == null) {
                continue;
            }
            int end = p.path("endPort").asInt(number);
            if (port >= number && port <= end) {
                return true;
            }
        }
        return false;
    }

    static boolean inBlock(JsonNode ipBlock, String ip) {
        if (!inCidr(ipBlock.path("cidr").asText(), ip)) {
            return false;
        }
        for (JsonNode except : ipBlock.path("except")) {
            if (inCidr(except.asText(), ip)) {
                return false;
            }
        }
        return true;
    }

    static boolean inCidr(String cidr, String ip) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (address(parts[0]) & mask) == (address(ip) & mask);
    }

    private static long address(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }
}
