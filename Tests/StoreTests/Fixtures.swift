import Foundation
import Store

/// A plan of widths × seeds, index-major in width, like the Sweep module's.
func samplePlan(widths: [Int] = [10, 100], seeds: Int = 2) -> [TaskRecord] {
    var tasks: [TaskRecord] = []
    for width in widths {
        for seed in 0..<seeds {
            tasks.append(TaskRecord(
                index: tasks.count, id: "width=\(width),seed=\(seed)", cell: "width=\(width)", seed: seed,
                config: #"{"width": \#(width), "seed": \#(seed), "lr": 0.1, "data": "fashion-mnist"}"#,
                cost: Double(width)))
        }
    }
    return tasks
}

/// A store at `<directory>/sweep.sqlite` holding `tasks`.
func makeStore(in directory: String, tasks: [TaskRecord] = samplePlan(),
               provenance: [String: String] = ["git": "abc123", "hosts": "node1"]) throws -> SweepStore {
    try SweepStore.create(path: directory + "/sweep.sqlite", specText: "name: test\nwidths: [10, 100]\n",
                          specFingerprint: "sha256:feed", tasks: tasks, provenance: provenance)
}

/// A finished task's result; outputs are 3×2 with values derived from the index.
func sampleResult(_ index: Int, dtype: String = "float64", metrics: [String: Double]? = nil) -> ResultRecord {
    let values = (0..<6).map { Double(index) + Double($0) * 0.25 }
    let outputs = dtype == "float32"
        ? OutputArray(float32: values.map(Float.init), rows: 3, cols: 2)
        : OutputArray(float64: values, rows: 3, cols: 2)
    return ResultRecord(taskIndex: index, status: "ok", message: nil,
                        metrics: metrics ?? ["test_error": 0.125 * Double(index), "train_loss": 1e-7],
                        wallSeconds: 1.5, rank: index % 3, host: "node\(index % 2)", outputs: outputs,
                        dataKey: "fashion-mnist/test")
}

/// `==` for results, except that NaN metrics match NaN (NaN never equals itself).
func sameResult(_ a: ResultRecord, _ b: ResultRecord) -> Bool {
    guard Set(a.metrics.keys) == Set(b.metrics.keys),
          a.metrics.allSatisfy({ name, value in
              let other = b.metrics[name]!
              return value == other || (value.isNaN && other.isNaN)
          }) else { return false }
    var a = a, b = b
    a.metrics = [:]
    b.metrics = [:]
    return a == b
}
