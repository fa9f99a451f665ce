/// kubelet's `getPhase`: the pod phase from its containers' states and the
/// restart policy.
package enum PodPhase {
    package static func of(initContainers: [ContainerView], containers: [ContainerView], restartPolicy: String)
        -> String
    {
        for initContainer in initContainers where !initContainer.succeeded {
            if initContainer.hasExited, restartPolicy == "Never" { return "Failed" }
            return "Pending"
        }
        var running = 0
        var waiting = 0
        var stopped = 0
        var succeeded = 0
        for container in containers {
            switch container.current?.state {
            case .running?:
                running += 1
            case .exited?:
                stopped += 1
                if container.succeeded { succeeded += 1 }
            default:
                // A container waiting to restart after a crash counts as stopped (it has run).
                if container.current == nil && container.previous == nil { waiting += 1 } else { stopped += 1 }
            }
        }
        if waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 {
            if restartPolicy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            if restartPolicy == "OnFailure" { return "Running" }
            return "Failed"
        }
        return "Pending"
    }
}
