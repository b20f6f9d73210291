import Foundation
import Store
import Testing

@Suite("Recording and reading results")
struct RecordTests {
    @Test("results round-trip with NaN and infinite metrics and outputs in both dtypes")
    func roundTrip() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            var failed = sampleResult(2)
            failed.status = "failed"
            failed.message = "LAPACK dgelsd: info = 3, \"quoted\", line\nbreak"
            failed.outputs = nil
            failed.metrics = [:]
            let written = [
                sampleResult(0, dtype: "float64",
                             metrics: ["test_error": .nan, "train_loss": .infinity, "margin": -.infinity, "zero": -0.0]),
                sampleResult(1, dtype: "float32"),
                failed,
                sampleResult(3, metrics: [:]),
            ]
            for result in written { try store.record(result) }

            for reader in [store, try SweepStore.open(path: store.path)] {
                let read = try reader.results()
                #expect(read.count == written.count)
                for (got, want) in zip(read, written) {
                    #expect(sameResult(got, want), "task \(want.taskIndex): \(got) != \(want)")
                }
                #expect(read[0].metrics["test_error"]!.isNaN)
                // SQLite keeps integral REALs as integers on disk, so -0.0 reads back as +0.0.
                #expect(read[0].metrics["zero"] == 0)
                #expect(read[1].outputs?.dtype == "float32")
                #expect(read[1].outputs?.doubles() == [1, 1.25, 1.5, 1.75, 2, 2.25])
            }
        }
    }

    @Test("recording a task twice throws and keeps the first result")
    func duplicate() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            let first = sampleResult(1)
            try store.record(first)
            var second = sampleResult(1, dtype: "float32", metrics: ["test_error": 0.9, "extra": 1])
            second.host = "intruder"
            #expect(throws: StoreError.duplicateResult(path: store.path, taskIndex: 1)) { try store.record(second) }
            let stored = try store.results()
            #expect(stored.count == 1)
            #expect(stored.first.map { sameResult($0, first) } == true)
        }
    }

    @Test("a result for a task outside the plan is refused")
    func unknownTask() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            #expect(throws: StoreError.unknownTask(path: store.path, taskIndex: 99)) {
                try store.record(sampleResult(99))
            }
            #expect(try store.completedTaskIndices().isEmpty)
        }
    }

    @Test("a bad status or malformed outputs are refused before writing")
    func invalidResults() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            var badStatus = sampleResult(0)
            badStatus.status = "done"
            var badArray = sampleResult(1)
            badArray.outputs?.bytes.removeLast()
            var badDtype = sampleResult(2)
            badDtype.outputs?.dtype = "int8"
            for result in [badStatus, badArray, badDtype] {
                let error = #expect(throws: StoreError.self) { try store.record(result) }
                guard case .invalidInput? = error else {
                    Issue.record("expected .invalidInput, got \(String(describing: error))")
                    continue
                }
            }
            #expect(try store.completedTaskIndices().isEmpty)
        }
    }

    @Test("completedTaskIndices lists exactly the recorded tasks, whatever their status")
    func completed() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir, tasks: samplePlan(widths: [1, 2, 3], seeds: 3))
            var diverged = sampleResult(7)
            diverged.status = "diverged"
            for result in [sampleResult(0), sampleResult(4), diverged] { try store.record(result) }
            #expect(try store.completedTaskIndices() == [0, 4, 7])
        }
    }

    @Test("once record returns, an independent connection sees the result")
    func committedForOtherReaders() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            let observer = try SweepStore.open(path: store.path)
            #expect(try observer.completedTaskIndices().isEmpty)
            try store.record(sampleResult(2))
            #expect(try observer.completedTaskIndices() == [2])
            let fresh = try SweepStore.open(path: store.path)
            #expect(try fresh.results().first.map { sameResult($0, sampleResult(2)) } == true)
        }
    }

    @Test("forEachResult streams in order across batches, and without outputs when asked")
    func streaming() throws {
        try withTemporaryDirectory { dir in
            // 40 tasks: more than one batch of results with outputs (16).
            let store = try makeStore(in: dir, tasks: samplePlan(widths: Array(1...20), seeds: 2))
            for index in (0..<40).reversed() where index % 7 != 3 {
                try store.record(sampleResult(index, dtype: index.isMultiple(of: 2) ? "float32" : "float64"))
            }
            let expected = (0..<40).filter { $0 % 7 != 3 }

            var seen: [Int] = []
            try store.forEachResult(includeOutputs: true) { result in
                #expect(result.outputs?.rows == 3)
                // The body may use the store: it runs outside any database access.
                let targets = try store.targets(dataKey: result.dataKey)
                #expect(targets == nil)
                seen.append(result.taskIndex)
            }
            #expect(seen == expected)

            seen = []
            try store.forEachResult(includeOutputs: false) { result in
                #expect(result.outputs == nil)
                #expect(result.metrics["test_error"] == 0.125 * Double(result.taskIndex))
                seen.append(result.taskIndex)
            }
            #expect(seen == expected)
        }
    }

    @Test("an error thrown by the body stops forEachResult and comes out unchanged")
    func streamingStops() throws {
        struct Stop: Error, Equatable {}
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            for index in 0..<4 { try store.record(sampleResult(index)) }
            var visits = 0
            #expect(throws: Stop()) {
                try store.forEachResult(includeOutputs: false) { _ in
                    visits += 1
                    if visits == 2 { throw Stop() }
                }
            }
            #expect(visits == 2)
        }
    }
}
