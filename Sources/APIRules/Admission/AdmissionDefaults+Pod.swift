import SkiffAPI

extension Admission {
    /// Defaults of a Pod and of the PodSpec inside every pod template
    /// (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe, ...).
    enum PodDefaults {
        /// A Pod object: the PodSpec defaults plus those Kubernetes applies only to real Pods
        /// (requests from limits, service links, host ports) and what the Priority admission
        /// plugin sets when no PriorityClass is named.
        static func pod(_ object: inout JSONValue) {
            var spec = object["spec"].isNull ? .emptyObject : object["spec"]
            guard spec.objectValue != nil else { return }
            podSpec(&spec)
            spec.updateEach("containers", requestsFromLimits)
            spec.updateEach("initContainers", requestsFromLimits)
            spec.defaultIfMissing("enableServiceLinks", true)
            if spec["hostNetwork"].boolValue == true {
                spec.updateEach("containers", hostPortsFromContainerPorts)
                spec.updateEach("initContainers", hostPortsFromContainerPorts)
            }
            priority(&spec)
            object["spec"] = spec
        }

        /// The PodSpec of a Pod or of a template. `defaultRestartPolicy` is false for Jobs,
        /// whose template must name `Never` or `OnFailure` itself.
        static func podSpec(_ spec: inout JSONValue, defaultRestartPolicy: Bool = true) {
            spec.defaultIfZero("dnsPolicy", "ClusterFirst")
            if defaultRestartPolicy { spec.defaultIfZero("restartPolicy", "Always") }
            spec.defaultIfMissing("securityContext", .emptyObject)
            spec.defaultIfMissing("terminationGracePeriodSeconds", 30)
            spec.defaultIfZero("schedulerName", "default-scheduler")
            spec.updateEach("volumes", VolumeDefaults.volume)
            spec.updateEach("initContainers", container)
            spec.updateEach("containers", container)
            spec.updateEach("ephemeralContainers", container)
        }

        /// A pod template (`spec.template` of workloads): only its PodSpec has defaults.
        static func template(_ template: inout JSONValue, defaultRestartPolicy: Bool = true) {
            var spec = template["spec"].isNull ? .emptyObject : template["spec"]
            guard spec.objectValue != nil else { return }
            podSpec(&spec, defaultRestartPolicy: defaultRestartPolicy)
            template["spec"] = spec
        }

        static func container(_ container: inout JSONValue) {
            guard container.objectValue != nil else { return }
            if container.isZeroField("imagePullPolicy") {
                container["imagePullPolicy"] = .string(ImageReference.defaultPullPolicy(for: container.stringField("image")))
            }
            container.defaultIfZero("terminationMessagePath", "/dev/termination-log")
            container.defaultIfZero("terminationMessagePolicy", "File")
            // ResourceRequirements is a struct, not a pointer: Kubernetes always writes `resources: {}`.
            container.defaultIfMissing("resources", .emptyObject)
            container.updateEach("ports") { port in port.defaultIfZero("protocol", "TCP") }
            container.updateEach("env") { variable in
                variable.updateObject("valueFrom") { source in
                    source.updateObject("fieldRef", objectFieldSelector)
                }
            }
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                container.updateObject(probe, self.probe)
            }
            container.updateObject("lifecycle") { lifecycle in
                lifecycle.updateObject("postStart", handler)
                lifecycle.updateObject("preStop", handler)
            }
        }

        static func probe(_ probe: inout JSONValue) {
            probe.defaultIfZero("timeoutSeconds", 1)
            probe.defaultIfZero("periodSeconds", 10)
            probe.defaultIfZero("successThreshold", 1)
            probe.defaultIfZero("failureThreshold", 3)
            handler(&probe)
        }

        /// The `httpGet` action of a probe or lifecycle hook (SetDefaults_HTTPGetAction).
        static func handler(_ handler: inout JSONValue) {
            handler.updateObject("httpGet") { action in
                action.defaultIfZero("path", "/")
                action.defaultIfZero("scheme", "HTTP")
            }
        }

        /// SetDefaults_ObjectFieldSelector: downward API paths are read in `v1`.
        static func objectFieldSelector(_ selector: inout JSONValue) {
            selector.defaultIfZero("apiVersion", "v1")
        }

        /// A container with limits but no request for a resource requests its limit.
        static func requestsFromLimits(_ container: inout JSONValue) {
            guard let limits = container["resources"]["limits"].objectValue else { return }
            var requests = container["resources"]["requests"].objectValue ?? [:]
            for (name, quantity) in limits where requests[name] == nil {
                requests[name] = quantity
            }
            container[path: ["resources", "requests"]] = .object(requests)
        }

        /// With host networking every container port is also a host port.
        static func hostPortsFromContainerPorts(_ container: inout JSONValue) {
            container.updateEach("ports") { port in
                if port.isZeroField("hostPort"), !port["containerPort"].isNull {
                    port["hostPort"] = port["containerPort"]
                }
            }
        }

        /// What the Priority admission plugin sets: the value of the named built-in class,
        /// or priority 0 when no class is named (a cluster without a global default class).
        static func priority(_ spec: inout JSONValue) {
            let builtinClasses: [String: Int64] = [
                "system-cluster-critical": 2_000_000_000,
                "system-node-critical": 2_000_001_000,
            ]
            let className = spec.stringField("priorityClassName")
            if className.isEmpty {
                spec.defaultIfMissing("priority", 0)
            } else if let value = builtinClasses[className] {
                spec.defaultIfMissing("priority", .integer(value))
            } else {
                return
            }
            spec.defaultIfMissing("preemptionPolicy", "PreemptLowerPriority")
        }
    }
}
