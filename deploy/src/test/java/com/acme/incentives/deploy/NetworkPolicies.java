package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.ofKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Whether the rendered NetworkPolicies let a connection through, evaluated as a CNI does: a pod that no policy of a
 * direction selects is open in that direction; otherwise some selecting policy must have a rule whose peers match
 * the other end (namespaceSelector against the namespace's kubernetes.io/metadata.name label, podSelector against
 * the pod's labels, in the policies' own namespace when there is no namespaceSelector) and whose ports include the
 * port, by number or by a named port of the receiving pod. Peers given as ipBlock are not matched (they stand for
 * addresses outside the cluster). TCP only, which is all these manifests use.
 */
final class NetworkPolicies {

    /** Our namespace, as seen from a policy: the policies are all in it, whatever an overlay names it. */
    private static final String OWN = "(own namespace)";

    private NetworkPolicies() {
    }

    /** May a pod of namespace {@code fromNamespace} (with no particular labels) connect to this pod on this port? */
    static boolean allowsIngress(List<ObjectNode> objects, JsonNode podLabels, Map<String, Integer> namedPorts,
            String fromNamespace, int port) {
        return allows(objects, "Ingress", "ingress", "from", podLabels, namedPorts, fromNamespace, port);
    }

    /** May this pod connect to any pod of namespace {@code toNamespace} on this port? */
    static boolean allowsEgress(List<ObjectNode> objects, JsonNode podLabels, String toNamespace, int port) {
        // The receiving pod is unknown: a named port cannot be resolved, only numbers match.
        return allows(objects, "Egress", "egress", "to", podLabels, Map.of(), toNamespace, port);
    }

    private static boolean allows(List<ObjectNode> objects, String type, String rulesField, String peersField,
            JsonNode podLabels, Map<String, Integer> namedPorts, String otherNamespace, int port) {
        boolean selected = false;
        for (JsonNode policy : ofKind(objects, "NetworkPolicy")) {
            JsonNode spec = policy.path("spec");
            if (!LabelSelectors.matches(spec.path("podSelector"), podLabels) || !policyTypes(spec).contains(type)) {
                continue;
            }
            selected = true;
            for (JsonNode rule : spec.path(rulesField)) {
                if (peersMatch(rule.path(peersField), otherNamespace) && portsMatch(rule.path("ports"), namedPorts,
                        port)) {
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
        // The API's default: Ingress, plus Egress when the policy has egress rules.
        return spec.has("egress") ? "[Ingress, Egress]" : "[Ingress]";
    }

    private static boolean peersMatch(JsonNode peers, String otherNamespace) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true; // no "from"/"to": every peer
        }
        ObjectNode namespaceLabels = Kustomize.json().createObjectNode().put("kubernetes.io/metadata.name",
                otherNamespace);
        ObjectNode anyPod = Kustomize.json().createObjectNode();
        for (JsonNode peer : peers) {
            if (peer.has("ipBlock")) {
                continue;
            }
            boolean namespaceOk = peer.has("namespaceSelector")
                    ? LabelSelectors.matches(peer.path("namespaceSelector"), namespaceLabels)
                    : otherNamespace.equals(OWN);
            boolean podOk = !peer.has("podSelector") || LabelSelectors.matches(peer.path("podSelector"), anyPod);
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portsMatch(JsonNode ports, Map<String, Integer> namedPorts, int port) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            if (!p.path("protocol").asText("TCP").equals("TCP")) {
                continue;
            }
            JsonNode value = p.path("port");
            if (value.isMissingNode()) {
                return true; // a rule for all ports of the protocol
            }
            Integer number = value.isInt() ? Integer.valueOf(value.asInt()) : namedPorts.get(value.asText());
            int end = p.path("endPort").asInt(number == null ? -1 : number);
            if (number != null && port >= number && port <= end) {
                return true;
            }
        }
        return false;
    }
}
