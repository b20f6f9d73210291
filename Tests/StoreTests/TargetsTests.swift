import Store
import Testing

@Suite("Test-set targets")
struct TargetsTests {
    @Test("targets round-trip; storing again keeps the first array")
    func idempotent() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            let labels = OutputArray(float32: [0, 1, 1, 0, 2, 2], rows: 3, cols: 2)
            try store.storeTargets(dataKey: "fashion-mnist/test", labels)
            try store.storeTargets(dataKey: "fashion-mnist/test", labels)
            try store.storeTargets(dataKey: "fashion-mnist/test", OutputArray(float64: [9], rows: 1, cols: 1))
            try store.storeTargets(dataKey: "empty", OutputArray(float64: [], rows: 0, cols: 3))

            let reopened = try SweepStore.open(path: store.path)
            #expect(try reopened.targets(dataKey: "fashion-mnist/test") == labels)
            #expect(try reopened.targets(dataKey: "empty") == OutputArray(float64: [], rows: 0, cols: 3))
            #expect(try reopened.targets(dataKey: "missing") == nil)
            #expect(try reopened.targetDataKeys() == ["empty", "fashion-mnist/test"])
        }
    }

    @Test("malformed targets are refused")
    func malformed() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            let error = #expect(throws: StoreError.self) {
                try store.storeTargets(dataKey: "k", OutputArray(dtype: "float64", rows: 2, cols: 2, bytes: [1, 2]))
            }
            guard case .invalidInput? = error else {
                Issue.record("expected .invalidInput, got \(String(describing: error))")
                return
            }
            #expect(try store.targetDataKeys().isEmpty)
        }
    }
}
