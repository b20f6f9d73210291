import Datasets
import Foundation
import Testing

@Suite struct ImageDatasetTests {
    @Test func pairsImagesAndLabels() throws {
        let images = IDXArray(dims: [3, 2, 2], bytes: patternBytes(12))
        let labels = IDXArray(dims: [3], bytes: [0, 0, 0])
        let set = try ImageDataset(images: images, labels: labels, imagesPath: "i", labelsPath: "l")
        #expect(set.count == 3 && set.sampleShape == [2, 2] && set.features == 4)
        #expect(set.pixels == images.bytes && set.labels == labels.bytes)
        #expect(set.classes == 2, "all-zero labels still make a two-class problem")
        let derived = try ImageDataset(images: images, labels: IDXArray(dims: [3], bytes: [0, 6, 2]),
                                       imagesPath: "i", labelsPath: "l")
        #expect(derived.classes == 7)
    }

    @Test func labelImageCountMismatch() throws {
        let dir = try ScratchDirectory()
        let images = try dir.write(idxBytes(dims: [4, 2, 2], data: patternBytes(16)), to: "img")
        let labels = try dir.write(idxBytes(dims: [5], data: [0, 1, 2, 3, 4]), to: "lab.gz", gzip: true)
        try expectDatasetError(naming: images, containing: "has 4 images but \(labels) has 5 labels", {
            $0 == .countMismatch(images: images, imageCount: 4, labels: labels, labelCount: 5)
        }) { _ = try ImageDataset(imagesPath: images, labelsPath: labels) }
    }

    @Test func labelOutOfRange() throws {
        let images = IDXArray(dims: [4, 1, 2], bytes: patternBytes(8))
        let labels = IDXArray(dims: [4], bytes: [1, 9, 3, 12])
        try expectDatasetError(naming: "/d/labels", containing: "label 9 at index 1 is not below the 4 classes", {
            $0 == .labelOutOfRange(path: "/d/labels", index: 1, label: 9, classes: 4)
        }) { _ = try ImageDataset(images: images, labels: labels, imagesPath: "/d/images", labelsPath: "/d/labels",
                                  classes: 4) }
    }

    @Test func ranksOfImagesAndLabels() throws {
        let flat = IDXArray(dims: [4], bytes: [0, 1, 0, 1])
        try expectDatasetError(naming: "/d/images", containing: "images file has dimensions [4]", {
            if case .wrongRank = $0 { true } else { false }
        }) { _ = try ImageDataset(images: flat, labels: flat, imagesPath: "/d/images", labelsPath: "/d/labels") }
        let grid = IDXArray(dims: [4, 1], bytes: [0, 1, 0, 1])
        try expectDatasetError(naming: "/d/labels", containing: "labels file has dimensions [4, 1]", {
            if case .wrongRank = $0 { true } else { false }
        }) { _ = try ImageDataset(images: grid, labels: grid, imagesPath: "/d/images", labelsPath: "/d/labels") }
    }

    @Test func examplesScaleAndOneHot() throws {
        let images = IDXArray(dims: [3, 2], bytes: [0, 255, 51, 102, 7, 8])
        let set = try ImageDataset(images: images, labels: IDXArray(dims: [3], bytes: [2, 0, 1]),
                                   imagesPath: "i", labelsPath: "l")
        let ex = set.examples(indices: [1, 0], as: Double.self)
        #expect(ex.inputs.rows == 2 && ex.inputs.cols == 2)
        #expect(ex.inputs.storage == [0.2, 0.4, 0, 1])
        #expect(ex.labels == [0, 2])
        #expect(ex.targets.storage == [1, 0, 0, 0, 0, 1])
        let single = set.examples(indices: [2], as: Float.self)
        #expect(single.inputs.storage == [Float(7) / 255, Float(8) / 255])
    }
}

@Suite struct IDXDirectoryTests {
    @Test(arguments: [false, true])
    func loadsPlainOrGzipDirectory(gzip: Bool) throws {
        let dir = try ScratchDirectory()
        try writeIDXDirectory(in: dir, trainCount: 12, testCount: 5, shape: [3, 2], classes: 4, gzip: gzip)
        let (train, test) = try IDXDirectory.load(directory: dir.path)
        #expect(train.count == 12 && test.count == 5)
        #expect(train.sampleShape == [3, 2] && test.sampleShape == [3, 2])
        #expect(train.classes == 4 && test.classes == 4)
        #expect(train.pixels == patternBytes(12 * 6, salt: 1))
    }

    /// A test set whose labels happen to stop short still gets the train set's class count.
    @Test func trainAndTestShareClassCount() throws {
        let dir = try ScratchDirectory()
        try writeIDXDirectory(in: dir, trainCount: 10, testCount: 2, classes: 5)
        let (train, test) = try IDXDirectory.load(directory: dir.path)
        #expect(train.classes == 5 && test.classes == 5)
    }

    @Test func missingDirectory() throws {
        let path = "/nonexistent/overparam-\(UUID().uuidString)"
        try expectDatasetError(naming: "dataset directory \(path) not found", containing: "dataset-fashion-mnist", {
            $0 == .directoryNotFound(path: path)
        }) { _ = try IDXDirectory.load(directory: path) }
        let message = DatasetError.directoryNotFound(path: path).description
        #expect(message.contains("--data / OVERPARAM_DATA / the spec's `data_dir`"))
    }

    @Test func missingFile() throws {
        let dir = try ScratchDirectory()
        try writeIDXDirectory(in: dir, trainCount: 4, testCount: 4)
        try FileManager.default.removeItem(atPath: dir.path + "/t10k-labels-idx1-ubyte.gz")
        try expectDatasetError(naming: dir.path, containing: "missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)", {
            $0 == .missingFile(directory: dir.path, name: "t10k-labels-idx1-ubyte")
        }) { _ = try IDXDirectory.load(directory: dir.path) }
    }

    @Test func trainAndTestShapesMustAgree() throws {
        let dir = try ScratchDirectory()
        try writeIDXDirectory(in: dir, trainCount: 4, testCount: 4, shape: [2, 2])
        let images = try dir.write(idxBytes(dims: [4, 4, 1], data: patternBytes(16)), to: "t10k-images-idx3-ubyte.gz",
                                   gzip: true)
        try expectDatasetError(naming: images, containing: "shape [2, 2] but \(images) has [4, 1]", {
            if case .shapeMismatch = $0 { true } else { false }
        }) { _ = try IDXDirectory.load(directory: dir.path) }
    }

    @Test func cacheDecodesOnceAndSharesAcrossThreads() async throws {
        let dir = try ScratchDirectory()
        try writeIDXDirectory(in: dir, trainCount: 6, testCount: 3)
        let path = dir.path
        let loads = try await withThrowingTaskGroup(of: ImageDataset.self) { group in
            for _ in 0..<8 { group.addTask { try IDXDirectory.cached(directory: path).train } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(loads.count == 8 && loads.allSatisfy { $0 == loads[0] })
        // Deleting the files shows later calls never touch the disk again.
        try FileManager.default.removeItem(atPath: path + "/train-images-idx3-ubyte.gz")
        #expect(try IDXDirectory.cached(directory: path).train == loads[0])
        #expect(throws: DatasetError.self) { try IDXDirectory.load(directory: path) }
    }
}

@Suite struct DatasetLocationTests {
    @Test func precedence() {
        let env = ["OVERPARAM_DATA": "/env"]
        #expect(DatasetLocation.resolve(specValue: "/spec", flag: "/flag", environment: env) == "/flag")
        #expect(DatasetLocation.resolve(specValue: "/spec", flag: nil, environment: env) == "/env")
        #expect(DatasetLocation.resolve(specValue: "/spec", flag: nil, environment: [:]) == "/spec")
        #expect(DatasetLocation.resolve(specValue: nil, flag: nil, environment: [:]) == "/usr/share/datasets/fashion-mnist")
        #expect(DatasetLocation.resolve(specValue: "", flag: "", environment: ["OVERPARAM_DATA": ""])
                == DatasetLocation.defaultFashionMNIST)
    }
}
