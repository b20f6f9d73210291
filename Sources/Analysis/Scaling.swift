import Foundation
import Numerical

/// Jamming thresholds and power-law fits over the cells of one group (cells that
/// differ only in width).
public struct ScalingGroup: Sendable {
    /// The config shared by the group's cells (everything but width and seed), as text.
    public let key: String
    /// The group's cells, by increasing size N.
    public let cells: [CellSummary]

    /// N for a cell: its parameter count when the model reports one (MLPs), else its
    /// width (random features: one readout weight per feature and output).
    public static func size(_ c: CellSummary) -> Double? {
        c.metrics["parameters"]?.mean ?? c.configValue("width")
    }

    /// The jamming point N*: the smallest N from which on every cell's seeds all fit
    /// the training set (N_Delta = 0). nil if the largest cell does not fit.
    public var jamming: (n: Double, fitted: Int, seeds: Int)? {
        var result: (Double, Int, Int)?
        for c in cells.reversed() {
            guard c.ok > 0, c.fitted == c.ok, let n = Self.size(c) else { break }
            result = (n, c.fitted, c.ok)
        }
        return result
    }

    /// Groups the cells by everything in their config but width and seed.
    public static func groups(_ cells: [CellSummary]) -> [ScalingGroup] {
        var order: [String] = []
        var members: [String: [CellSummary]] = [:]
        for c in cells {
            guard let data = c.config.data(using: .utf8),
                  var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            object["width"] = nil
            object["seed"] = nil
            let key = object.keys.sorted().map { "\($0)=\(object[$0]!)" }.joined(separator: ",")
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(c)
        }
        return order.map { key in
            ScalingGroup(key: key, cells: members[key]!.sorted { (size($0) ?? 0) < (size($1) ?? 0) })
        }
    }

    /// Least-squares slope of log y against log N over the cells with N > N*
    /// (all cells if there is no N*) and y > 0, with a 95 % pairs-bootstrap interval.
    public func powerLaw(_ value: (CellSummary) -> Double?, name: String) -> PowerLawFit? {
        let threshold = jamming?.n ?? 0
        let points = cells.compactMap { c -> (Double, Double)? in
            guard let n = Self.size(c), n > threshold, let y = value(c), y > 0, y.isFinite else { return nil }
            return (log(n), log(y))
        }
        guard points.count >= 3, let slope = Self.slope(points) else { return nil }
        var stream = RandomStream(seed: 0, ["bootstrap-fit", key, name])
        var slopes: [Double] = []
        for _ in 0..<Bootstrap.resamples {
            let sample = points.indices.map { _ in points[stream.nextInt(below: points.count)] }
            if let s = Self.slope(sample) { slopes.append(s) }
        }
        let ci = slopes.count >= 10 ? Bootstrap.percentiles(slopes) : (low: Double.nan, high: Double.nan)
        return PowerLawFit(name: name, exponent: slope, low: ci.low, high: ci.high, points: points.count,
                           from: exp(points.map(\.0).min()!), to: exp(points.map(\.0).max()!))
    }

    static func slope(_ points: [(Double, Double)]) -> Double? {
        let n = Double(points.count)
        let mx = points.map(\.0).reduce(0, +) / n, my = points.map(\.1).reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for (x, y) in points { sxx += (x - mx) * (x - mx); sxy += (x - mx) * (y - my) }
        return sxx > 0 ? sxy / sxx : nil
    }
}

/// y ~ N^exponent, fitted in log-log.
public struct PowerLawFit: Sendable {
    public let name: String
    public let exponent: Double
    /// 95 % bootstrap interval of the exponent.
    public let low: Double
    public let high: Double
    public let points: Int
    public let from: Double
    public let to: Double

    public var description: String {
        String(format: "%@ ~ N^%.3f  (95%% CI %.3f .. %.3f; %d sizes, N = %.0f .. %.0f)",
               name, exponent, low, high, points, from, to)
    }
}
