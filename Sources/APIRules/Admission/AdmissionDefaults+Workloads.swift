import SkiffAPI

extension Admission {
    /// Defaults of the apps/v1 workloads (SetDefaults_Deployment, _ReplicaSet, _DaemonSet,
    /// _StatefulSet) and of the pod templates inside them.
    enum WorkloadDefaults {
        static func deployment(_ object: inout JSONValue) {
            updateSpec(&object) { spec in
                spec.defaultIfMissing("replicas", 1)
                var strategy = spec["strategy"].isNull ? .emptyObject : spec["strategy"]
                strategy.defaultIfZero("type", "RollingUpdate")
                if strategy["type"] == "RollingUpdate" {
                    var rollingUpdate = strategy["rollingUpdate"].isNull ? .emptyObject : strategy["rollingUpdate"]
                    rollingUpdate.defaultIfMissing("maxUnavailable", "25%")
                    rollingUpdate.defaultIfMissing("maxSurge", "25%")
                    strategy["rollingUpdate"] = rollingUpdate
                }
                spec["strategy"] = strategy
                spec.defaultIfMissing("revisionHistoryLimit", 10)
                spec.defaultIfMissing("progressDeadlineSeconds", 600)
            }
        }

        static func replicaSet(_ object: inout JSONValue) {
            updateSpec(&object) { spec in
                spec.defaultIfMissing("replicas", 1)
            }
        }

        static func daemonSet(_ object: inout JSONValue) {
            updateSpec(&object) { spec in
                var strategy = spec["updateStrategy"].isNull ? .emptyObject : spec["updateStrategy"]
                strategy.defaultIfZero("type", "RollingUpdate")
                if strategy["type"] == "RollingUpdate" {
                    var rollingUpdate = strategy["rollingUpdate"].isNull ? .emptyObject : strategy["rollingUpdate"]
                    rollingUpdate.defaultIfMissing("maxUnavailable", 1)
                    rollingUpdate.defaultIfMissing("maxSurge", 0)
                    strategy["rollingUpdate"] = rollingUpdate
                }
                spec["updateStrategy"] = strategy
                spec.defaultIfMissing("revisionHistoryLimit", 10)
            }
        }

        static func statefulSet(_ object: inout JSONValue) {
            updateSpec(&object) { spec in
                spec.defaultIfZero("podManagementPolicy", "OrderedReady")
                var strategy = spec["updateStrategy"].isNull ? .emptyObject : spec["updateStrategy"]
                if strategy.isZeroField("type") {
                    strategy["type"] = "RollingUpdate"
                    strategy.defaultIfMissing("rollingUpdate", .emptyObject)
                }
                if strategy["type"] == "RollingUpdate" {
                    strategy.updateObject("rollingUpdate") { $0.defaultIfMissing("partition", 0) }
                }
                spec["updateStrategy"] = strategy
                var retention = spec["persistentVolumeClaimRetentionPolicy"].isNull
                    ? .emptyObject : spec["persistentVolumeClaimRetentionPolicy"]
                retention.defaultIfZero("whenDeleted", "Retain")
                retention.defaultIfZero("whenScaled", "Retain")
                spec["persistentVolumeClaimRetentionPolicy"] = retention
                spec.defaultIfMissing("replicas", 1)
                spec.defaultIfMissing("revisionHistoryLimit", 10)
                spec.updateEach("volumeClaimTemplates", CoreDefaults.persistentVolumeClaim)
            }
        }

        /// Runs `body` on `spec` (created when absent, as Go defaults a zero struct) and then
        /// defaults the pod template inside it.
        static func updateSpec(
            _ object: inout JSONValue, defaultRestartPolicy: Bool = true, _ body: (inout JSONValue) -> Void
        ) {
            var spec = object["spec"].isNull ? .emptyObject : object["spec"]
            guard spec.objectValue != nil else { return }
            body(&spec)
            var template = spec["template"].isNull ? .emptyObject : spec["template"]
            if template.objectValue != nil {
                PodDefaults.template(&template, defaultRestartPolicy: defaultRestartPolicy)
                spec["template"] = template
            }
            object["spec"] = spec
        }
    }
}
