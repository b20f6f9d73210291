import Testing
@testable import Sweep

@Suite struct SpecTests {
    let good = """
        name: rf
        model: random_features
        dataset: synthetic-toy
        train_size: 10
        width: [5, 10, 20]
        seeds: 3
        """

    @Test func parsesListsAndDefaults() throws {
        let spec = try Spec.parse(text: good, file: "rf.yaml")
        #expect(spec.name == "rf")
        #expect(spec.seeds == [0, 1, 2])
        #expect(spec.values(of: "width") == [.int(5), .int(10), .int(20)])
        #expect(spec.single("precision") == .string("float64"))
        #expect(spec.axes.map(\.key) == ["width"])
    }

    @Test func planIsCartesianWithStableIds() throws {
        let spec = try Spec.parse(text: good + "\nprecision: [float32, float64]\n", file: "rf.yaml")
        let plan = Plan(spec: spec)
        #expect(plan.tasks.count == 3 * 2 * 3)
        #expect(plan.tasks[0].id == "width=5,precision=float32,seed=0")
        #expect(plan.tasks[4].id == "width=5,precision=float64,seed=1")
        #expect(plan.tasks[4].cell == "width=5,precision=float64")
        #expect(Set(plan.tasks.map(\.id)).count == plan.tasks.count)
        // Largest width first.
        #expect(plan.tasks[plan.dispatchOrder[0]].int("width") == 20)
        #expect(plan.tasks.map(\.index) == Array(0..<18))
    }

    @Test func fingerprintIgnoresFormattingButNotValues() throws {
        let a = try Spec.parse(text: good, file: "a.yaml")
        let reordered = try Spec.parse(text: "# comment\nseeds: 3\nwidth: [5, 10, 20]\nmodel: random_features\n"
                                       + "dataset: synthetic-toy\ntrain_size: 10\nname: rf\n", file: "b.yaml")
        #expect(a.fingerprint == reordered.fingerprint)
        let changed = try Spec.parse(text: good.replacingOccurrences(of: "seeds: 3", with: "seeds: 4"), file: "a.yaml")
        #expect(a.fingerprint != changed.fingerprint)
    }

    @Test func streamIdentityIgnoresKeyOrder() throws {
        let a = Plan(spec: try Spec.parse(text: good, file: "a.yaml"))
        let moved = "width: [5, 10, 20]\n" + good.replacingOccurrences(of: "width: [5, 10, 20]\n", with: "")
        let b = Plan(spec: try Spec.parse(text: moved, file: "b.yaml"))
        #expect(a.tasks.map(\.canonicalConfig) == b.tasks.map(\.canonicalConfig))
        #expect(a.tasks[0].canonicalConfig.contains("width=5") && a.tasks[0].canonicalConfig.hasSuffix("seed=0"))
    }

    /// Every user mistake gives one line naming the file, the key and what was expected.
    @Test(arguments: [
        ("widht: 5", "unknown key 'widht' (did you mean 'width'?)"),
        ("width: abc", "key 'width': expected an integer >= 1, got 'abc'"),
        ("width: []", "key 'width': empty list"),
        ("width: -5", "key 'width': expected an integer >= 1, got '-5'"),
        ("width: [10, 10]", "value 10 is listed twice"),
        ("seeds: 0", "key 'seeds': expected a count"),
        ("model: transformer", "key 'model': expected one of random_features, mlp, kernel, got 'transformer'"),
        ("name: [a, b]", "key 'name' takes one value, not a list"),
        ("name: ../evil", "may hold only letters"),
        ("width: {a: 1}", "key 'width': expected an integer >= 1, got a mapping"),
    ])
    func badSpecs(line: String, expected: String) {
        let base = "model: random_features\ndataset: synthetic-toy\nwidth: 5\n"
        let key = line.split(separator: ":")[0]
        let text = base.split(separator: "\n").filter { !$0.hasPrefix(key + ":") }.joined(separator: "\n") + "\n" + line + "\n"
        do {
            _ = try Spec.parse(text: text, file: "bad.yaml")
            Issue.record("accepted: \(line)")
        } catch let error as SpecError {
            #expect(error.description.hasPrefix("bad.yaml:"), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func missingRequiredKeyAndNotAMapping() {
        #expect(throws: SpecError.self) { try Spec.parse(text: "model: random_features\n", file: "x.yaml") }
        #expect(throws: SpecError.self) { try Spec.parse(text: "- 1\n- 2\n", file: "x.yaml") }
        #expect(throws: SpecError.self) { try Spec.parse(text: "width: [1, 2\n", file: "x.yaml") }
        #expect(throws: SpecError.self) { try Spec.load(path: "/nonexistent/spec.yaml") }
    }
}

/// The stream identity of a task is part of every stored result: a change to it
/// (a new key that affects results at its default, a renamed value) silently
/// changes the random streams of every existing sweep. These strings pin it.
@Suite struct StreamIdentityTests {
    @Test func randomFeaturesIdentityIsPinned() throws {
        let spec = try Spec.parse(text: "model: random_features\nwidth: [5, 10]\nseeds: 2\n", file: "x.yaml")
        #expect(Plan(spec: spec).tasks[3].canonicalConfig
                == "data_seed=0,dataset=fashion-mnist,input_corruption=none,label_noise=0.0,label_noise_mode=uniform,"
                    + "model=random_features,precision=float64,preprocess=center,seed=0,target=class,"
                    + "test_size=1000,train_size=200,width=10,seed=1")
    }

    @Test func mlpIdentityIsPinned() throws {
        let spec = try Spec.parse(text: "model: mlp\nwidth: 8\n", file: "x.yaml")
        #expect(Plan(spec: spec).tasks[0].canonicalConfig
                == "activation=relu,batch_size=100,curve_points=0,data_seed=0,dataset=fashion-mnist,depth=1,epochs=100,"
                    + "input_corruption=none,label_noise=0.0,label_noise_mode=uniform,learning_rate=0.001,loss=cross_entropy,"
                    + "loss_tolerance=0.0,lr_schedule=constant,lr_step_every=100,lr_step_factor=0.1,model=mlp,momentum=0.0,"
                    + "optimizer=adam,parameterization=standard,precision=float32,preprocess=center,seed=0,stop=none,"
                    + "target=class,test_size=1000,train_size=200,weight_decay=0.0,width=8,seed=0")
    }
}

@Suite struct WidthRefinementTests {
    typealias Cell = WidthRefinement.Cell

    @Test func jammingBisectsTheBracketGeometrically() {
        let cells = [Cell(width: 2, fitted: 0, seeds: 4, testLoss: 1), Cell(width: 8, fitted: 2, seeds: 4, testLoss: 1),
                     Cell(width: 32, fitted: 4, seeds: 4, testLoss: 1), Cell(width: 64, fitted: 4, seeds: 4, testLoss: 1)]
        #expect(WidthRefinement.next(rule: "jamming", cells: cells) == [16])
        // Adjacent widths: nothing to add; every width fits: N* is below the grid.
        #expect(WidthRefinement.next(rule: "jamming", cells: [Cell(width: 7, fitted: 0, seeds: 1, testLoss: 0),
                                                              Cell(width: 8, fitted: 1, seeds: 1, testLoss: 0)]) == [])
        #expect(WidthRefinement.next(rule: "jamming", cells: [Cell(width: 7, fitted: 1, seeds: 1, testLoss: 0)]) == [])
    }

    @Test func peakBisectsBothSides() {
        let cells = [100, 200, 400].map { Cell(width: $0, fitted: 0, seeds: 1, testLoss: $0 == 200 ? 9 : 1) }
        #expect(WidthRefinement.next(rule: "peak", cells: cells) == [141, 283])
    }
}

@Suite struct EarlyStoppingSpecTests {
    @Test func earlyStoppingNeedsAValidationSet() {
        #expect(throws: SpecError.self) { try Spec.parse(text: "model: mlp\nwidth: 8\nearly_stopping: 5\n", file: "x.yaml") }
        let spec = try? Spec.parse(text: "model: mlp\nwidth: 8\nearly_stopping: 5\nvalidation_size: 100\n", file: "x.yaml")
        #expect(spec != nil)
        // The validation set joins the data key (and so its streams) only when set.
        #expect(Plan(spec: spec!).tasks[0].dataKey.hasSuffix(",validation_size=100"))
        let plain = try! Spec.parse(text: "model: mlp\nwidth: 8\n", file: "x.yaml")
        #expect(!Plan(spec: plain).tasks[0].dataKey.contains("validation"))
    }
}

/// `ensemble_size`: which seeds train together is fixed by the spec, and never
/// changes how any net is drawn.
@Suite struct EnsemblePlanTests {
    let base = "model: mlp\ndataset: synthetic-toy\nloss: mse\nwidth: [4, 8]\nseeds: 5\n"

    @Test func ensemblesAreRunsOfSeedsOfOneCell() throws {
        let plan = Plan(spec: try Spec.parse(text: base + "ensemble_size: 2\n", file: "x.yaml"))
        #expect(plan.ensembles == [[0, 1], [2, 3], [4], [5, 6], [7, 8], [9]])
        for group in plan.ensembles { #expect(Set(group.map { plan.tasks[$0].cell }).count == 1) }
        #expect(plan.ensemble(leading: 5) == [5, 6] && plan.ensemble(leading: 12) == [12])
        // Units with a pending member, by their summed cost (two nets of width 4 cost
        // what one of width 8 does: ties go in plan order).
        #expect(plan.ensembleOrder(pending: [1, 4, 9]) == [[0, 1], [9], [4]])
        #expect(plan.ensembleOrder(pending: [4, 5]) == [[5, 6], [4]])
        let single = Plan(spec: try Spec.parse(text: base, file: "x.yaml"))
        #expect(single.ensembles == (0..<10).map { [$0] })
    }

    @Test func ensembleSizeLeavesStreamIdentitiesAlone() throws {
        let alone = Plan(spec: try Spec.parse(text: base, file: "x.yaml"))
        let together = Plan(spec: try Spec.parse(text: base + "ensemble_size: 3\n", file: "x.yaml"))
        #expect(alone.tasks.map(\.canonicalConfig) == together.tasks.map(\.canonicalConfig))
        #expect(alone.spec.fingerprint != together.spec.fingerprint)
        // A shared data order is part of the identity; its cell identity drops the seed.
        let shared = Plan(spec: try Spec.parse(text: base + "data_order: shared\n", file: "x.yaml"))
        #expect(shared.tasks[0].canonicalConfig.contains("data_order=shared"))
        #expect(shared.tasks[0].cellIdentity == shared.tasks[1].cellIdentity)
        #expect(shared.tasks[0].cellIdentity != shared.tasks[5].cellIdentity)
        #expect(!shared.tasks[1].cellIdentity.hasSuffix("seed=1"))
    }

    @Test func lotteryTicketsTrainOneNetAtATime() {
        #expect(throws: SpecError.self) {
            try Spec.parse(text: base + "ensemble_size: 2\nprune_rounds: 2\n", file: "x.yaml")
        }
    }
}
