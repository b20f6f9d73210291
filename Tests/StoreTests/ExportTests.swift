import Foundation
import Store
import Testing

@Suite("Exporting to CSV and NPY")
struct ExportTests {
    /// A store with a NaN/inf result, a failed one, a missing one, and a
    /// metric named like a config key; targets under a normal key.
    private func exampleStore(in dir: String) throws -> SweepStore {
        let store = try makeStore(in: dir)
        try store.record(sampleResult(0, dtype: "float64", metrics: ["test_error": .nan, "train_loss": .infinity]))
        var failed = sampleResult(1)
        failed.status = "failed"
        failed.message = "boom"
        failed.metrics = [:]
        failed.outputs = nil
        try store.record(failed)
        try store.record(sampleResult(3, dtype: "float32", metrics: ["test_error": 0.375, "train_loss": 1e-7, "width": 5]))
        try store.storeTargets(dataKey: "fashion-mnist/test", OutputArray(float32: [1, 0, 0, 1, 1, 0], rows: 3, cols: 2))
        return store
    }

    @Test("metrics.csv has one row per task in plan order, config and metric columns sorted")
    func metricsCSV() throws {
        try withTemporaryDirectory { dir in
            let store = try exampleStore(in: dir)
            let written = try StoreExport.write(store: store, to: dir + "/export")
            #expect(written.count == 4)
            #expect(written.last == dir + "/export/metrics.csv")
            let csv = try String(contentsOfFile: dir + "/export/metrics.csv", encoding: .utf8)
            #expect(csv == """
                task_index,id,cell,seed,status,wall_seconds,rank,host,data,lr,config.seed,width,test_error,train_loss,metric.width
                0,"width=10,seed=0",width=10,0,ok,1.5,0,node0,fashion-mnist,0.1,0,10,nan,inf,
                1,"width=10,seed=1",width=10,1,failed,1.5,1,node1,fashion-mnist,0.1,1,10,,,
                2,"width=100,seed=0",width=100,0,,,,,fashion-mnist,0.1,0,100,,,
                3,"width=100,seed=1",width=100,1,ok,1.5,0,node1,fashion-mnist,0.1,1,100,0.375,1e-07,5.0

                """)
        }
    }

    @Test("CSV fields with commas, quotes and newlines survive a real CSV parser",
          .enabled(if: Python.isAvailable, "python3 is not installed"))
    func csvQuoting() throws {
        try withTemporaryDirectory { dir in
            let note = "say \"hi\",\nthen bye"
            let task = TaskRecord(index: 0, id: "a", cell: "a", seed: 0,
                                  config: #"{"note": "say \"hi\",\nthen bye", "list": [1, {"b": 2, "a": null}]}"#,
                                  cost: 1)
            let store = try makeStore(in: dir, tasks: [task])
            _ = try StoreExport.write(store: store, to: dir + "/export")
            let parsed = try Python.run("""
                import csv, json, sys
                rows = list(csv.reader(open(sys.argv[1], newline='')))
                print(json.dumps(rows))
                """, dir + "/export/metrics.csv")
            let rows = try JSONSerialization.jsonObject(with: Data(parsed.utf8)) as? [[String]]
            #expect(rows?.count == 2)
            #expect(rows?[0] == ["task_index", "id", "cell", "seed", "status", "wall_seconds", "rank", "host",
                                 "list", "note"])
            #expect(rows?[1] == ["0", "a", "a", "0", "", "", "", "", #"[1,{"a":null,"b":2}]"#, note])
        }
    }

    @Test("exported .npy files load in numpy with the right shape, dtype and values",
          .enabled(if: Python.hasNumpy, "numpy is not installed for python3"))
    func npyLoadsInNumpy() throws {
        try withTemporaryDirectory { dir in
            let store = try exampleStore(in: dir)
            let written = try StoreExport.write(store: store, to: dir + "/export")
            let outputs = dir + "/export/outputs/"
            let targets = dir + "/export/targets/"
            #expect(written.contains(outputs + "task-000000.npy"))
            #expect(written.contains(outputs + "task-000003.npy"))
            #expect(!FileManager.default.fileExists(atPath: outputs + "task-000001.npy"))
            let targetFiles = try FileManager.default.contentsOfDirectory(atPath: targets)
            #expect(targetFiles.count == 1)

            let code = """
                import numpy, sys
                for path in sys.argv[1:]:
                    a = numpy.load(path)
                    print(a.shape, a.dtype, a.sum(), a.tolist())
                """
            let report = try Python.run(code, outputs + "task-000000.npy", outputs + "task-000003.npy",
                                        targets + targetFiles[0])
            #expect(report.split(separator: "\n").map(String.init) == [
                "(3, 2) float64 3.75 [[0.0, 0.25], [0.5, 0.75], [1.0, 1.25]]",
                "(3, 2) float32 21.75 [[3.0, 3.25], [3.5, 3.75], [4.0, 4.25]]",
                "(3, 2) float32 3.0 [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]",
            ])
        }
    }

    @Test("npy headers follow format 1.0 with data aligned to 64 bytes")
    func npyHeader() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir, tasks: samplePlan(widths: Array(1...10), seeds: 1))
            try store.record(sampleResult(0, dtype: "float32"))
            try store.storeTargets(dataKey: "big", OutputArray(float64: Array(repeating: 1, count: 12_345 * 10),
                                                               rows: 12_345, cols: 10))
            for path in try StoreExport.write(store: store, to: dir + "/export") where path.hasSuffix(".npy") {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
                let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
                let dataStart = 10 + headerLength
                #expect(dataStart % 64 == 0)
                #expect(bytes[dataStart - 1] == UInt8(ascii: "\n"))
                let header = String(decoding: bytes[10..<dataStart], as: UTF8.self)
                #expect(header.hasPrefix("{'descr': '<f"))
                #expect(header.contains("'fortran_order': False"))
                let expected = path.hasSuffix("big.npy") ? (12_345, 10, 8) : (3, 2, 4)
                #expect(header.contains("'shape': (\(expected.0), \(expected.1))"))
                #expect(bytes.count - dataStart == expected.0 * expected.1 * expected.2)
            }
        }
    }

    @Test("target file names are sanitized: nothing escapes the export directory")
    func sanitizedNames() throws {
        try withTemporaryDirectory { dir in
            let store = try makeStore(in: dir)
            let keys = ["../../evil", "/abs/path", "..", ".", "", "a/b", "a_b", "ünï code", "x..y",
                        ".hidden", String(repeating: "k", count: 400), "fashion-mnist_test.v1"]
            for key in keys { try store.storeTargets(dataKey: key, OutputArray(float64: [1], rows: 1, cols: 1)) }
            let export = dir + "/export"
            let written = try StoreExport.write(store: store, to: export)

            let names = try FileManager.default.contentsOfDirectory(atPath: export + "/targets")
            #expect(names.count == keys.count, "two keys collided: \(names.sorted())")
            #expect(names.contains("fashion-mnist_test.v1.npy"))
            #expect(names.contains("a_b.npy"))
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
            for name in names {
                #expect(name.allSatisfy(allowed.contains), "\(name)")
                #expect(!name.contains("..") && !name.hasPrefix("."), "\(name)")
                #expect(name.count <= 121, "\(name)")
            }
            for path in written { #expect(path.hasPrefix(export + "/") && !path.contains("/../"), "\(path)") }
            // Nothing appeared beside the export directory or the store.
            let siblings = try FileManager.default.contentsOfDirectory(atPath: dir)
            #expect(Set(siblings).subtracting(["sweep.sqlite", "sweep.sqlite-wal", "sweep.sqlite-shm"]) == ["export"])
        }
    }

    @Test("exporting into an existing directory overwrites its files and keeps the others")
    func overwrite() throws {
        try withTemporaryDirectory { dir in
            let export = dir + "/export"
            try FileManager.default.createDirectory(atPath: export + "/outputs", withIntermediateDirectories: true)
            try "stale".write(toFile: export + "/metrics.csv", atomically: true, encoding: .utf8)
            try "mine".write(toFile: export + "/notes.txt", atomically: true, encoding: .utf8)
            let store = try exampleStore(in: dir)
            let first = try StoreExport.write(store: store, to: export)
            let csv = try String(contentsOfFile: export + "/metrics.csv", encoding: .utf8)
            #expect(csv.hasPrefix("task_index,"))
            #expect(try StoreExport.write(store: store, to: export) == first)
            #expect(try String(contentsOfFile: export + "/metrics.csv", encoding: .utf8) == csv)
            #expect(try String(contentsOfFile: export + "/notes.txt", encoding: .utf8) == "mine")
        }
    }

    @Test("an export directory that cannot be made is reported by path")
    func unwritableExport() throws {
        try withTemporaryDirectory { dir in
            let store = try exampleStore(in: dir)
            try "a file".write(toFile: dir + "/blocker", atomically: true, encoding: .utf8)
            let error = #expect(throws: StoreError.self) {
                try StoreExport.write(store: store, to: dir + "/blocker/export")
            }
            #expect(error?.description.contains(dir + "/blocker/export") == true)
        }
    }
}
