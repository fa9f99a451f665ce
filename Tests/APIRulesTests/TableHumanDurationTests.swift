import APIRules
import SkiffAPI
import Foundation
import Testing

@Suite("Table ages (duration.HumanDuration)")
struct TableHumanDurationTests {
    @Test(
        "matches apimachinery's thresholds",
        arguments: [
            (0.0, "0s"), (5, "5s"), (119.9, "119s"), (120, "2m"), (182, "3m2s"), (540, "9m"), (599, "9m59s"),
            (600, "10m"), (10_799, "179m"), (10_800, "3h"), (11_100, "3h5m"), (28_800, "8h"), (47 * 3600, "47h"),
            (48 * 3600, "2d"), (51 * 3600, "2d3h"), (8 * 86_400, "8d"), (729 * 86_400, "729d"),
            (730 * 86_400, "2y"), (733 * 86_400, "2y3d"), (9 * 365 * 86_400, "9y"),
            (-0.5, "0s"), (-1.9, "0s"), (-2, "<invalid>"), (.nan, "<invalid>"),
        ] as [(TimeInterval, String)])
    func thresholds(_ seconds: TimeInterval, _ expected: String) {
        #expect(HumanDuration.string(seconds) == expected)
    }
}
