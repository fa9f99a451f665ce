import ArgumentParser

/// A Go-style duration flag (`--timeout=30s`, `1m30s`, `2h`, `500ms`; a bare number is
/// seconds; `0` means no limit), as kubectl's `--timeout` flags take it.
struct KubeDuration: ExpressibleByArgument, Sendable {
    var duration: Duration?

    init?(argument: String) {
        if argument == "0" || argument.isEmpty {
            duration = nil
            return
        }
        if let seconds = Double(argument) {
            duration = .milliseconds(Int64(seconds * 1000))
            return
        }
        var total = 0.0
        var number = ""
        var unit = ""
        func commit() -> Bool {
            guard let value = Double(number) else { return false }
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return false
            }
            total += value * scale
            number = ""
            unit = ""
            return true
        }
        for character in argument {
            if character.isNumber || character == "." {
                if !unit.isEmpty { guard commit() else { return nil } }
                number.append(character)
            } else {
                unit.append(character)
            }
        }
        guard commit() else { return nil }
        duration = total == 0 ? nil : .milliseconds(Int64(total * 1000))
    }
}
