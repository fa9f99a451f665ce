import SkiffAPI

/// `describe`'s text for an object, in kubectl's layout: dedicated sections for pods,
/// deployments, replica sets, services, nodes, config maps and secrets, and kubectl's
/// generic field dump for everything else.
public enum ObjectDescriber {
    public static func describe(_ object: JSONValue, context: DescribeContext) -> String {
        var w = DescribeWriter()
        switch (object.groupVersionKind?.group ?? "", object["kind"].stringValue ?? "") {
        case ("", "Pod"): pod(object, into: &w)
        case ("apps", "Deployment"): deployment(object, context: context, into: &w)
        case ("apps", "ReplicaSet"): replicaSet(object, context: context, into: &w)
        case ("", "Service"): service(object, context: context, into: &w)
        case ("", "Node"): NodeDescriber.describe(object, context: context, into: &w)
        case ("", "ConfigMap"): configMap(object, into: &w)
        case ("", "Secret"):
            secret(object, into: &w)
            return w.text()
        case ("", "Namespace"):
            namespace(object, into: &w)
            return w.text()
        case ("", "ServiceAccount"): serviceAccount(object, into: &w)
        default: generic(object, into: &w)
        }
        if let events = context.events { EventsDescriber.describe(events, now: context.now, into: &w) }
        return w.text()
    }

    /// `Name:` and (for namespaced kinds) `Namespace:`, the first lines of every section.
    static func header(_ object: JSONValue, into w: inout DescribeWriter, namespace: Bool = true) {
        w.write(0, "Name:\t\(object["metadata"]["name"].stringValue ?? "")\n")
        if namespace { w.write(0, "Namespace:\t\(object["metadata"]["namespace"].stringValue ?? "")\n") }
    }

    /// A LabelSelector as `app=x,tier in (a,b)`, or `<none>`.
    static func selectorText(_ selector: JSONValue) -> String {
        let text = SelectorText.format(selector)
        return text.isEmpty ? "<none>" : text
    }
}
