import ArgumentParser
import Numerical

@main
struct Overparam: ParsableCommand {
    static let version = "0.1.0"

    static func main() {
        BLASRuntime.relaunchWithOneThreadIfNeeded()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "overparam",
        abstract: "Sweeps of over-parameterized networks across MPI ranks, gathered on rank 0.",
        discussion: """
            Run a sweep on every core of this machine:
              mpirun -n 2 overparam sweep sweeps/random-features.yaml
            then summarize, export and plot it:
              overparam analyze results/random-features.sqlite
              overparam export results/random-features.sqlite out/
              python3 scripts/plot.py results/random-features.sqlite figures/
            """,
        version: version,
        subcommands: [SweepCommand.self, AnalyzeCommand.self, ExportCommand.self, InfoCommand.self, KeysCommand.self, BenchCommand.self]
    )
}
