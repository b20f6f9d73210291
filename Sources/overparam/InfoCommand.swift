import ArgumentParser
import Cluster
import Datasets
import Foundation
import Numerical

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Ranks, hosts, the BLAS set-up and the datasets found (run it under mpirun to see every rank).")

    @Option(help: "IDX directory to check (default: OVERPARAM_DATA, else Debian's Fashion-MNIST).")
    var data: String?

    func run() throws {
        let mpi = MPITransport.launchedByMPI ? MPITransport() : nil
        BLASRuntime.pinSingleThread()
        let hosts = mpi?.allGather(localHostName()) ?? [localHostName()]
        defer { mpi?.finalize() }
        guard (mpi?.rank ?? 0) == 0 else { return }
        let env = ProcessInfo.processInfo.environment
        print("overparam \(Overparam.version)  commit \(Provenance.gitCommit())")
        print("ranks      \(hosts.count)\(mpi == nil ? " (not under mpirun: in-process)" : "")")
        for (r, h) in hosts.enumerated() { print("  rank \(r)   \(h)") }
        print("MPI        \(MPITransport.libraryVersion)")
        print("OpenBLAS   \(BLASRuntime.config)")
        print("  core     \(BLASRuntime.coreName)  (OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "unset"))")
        print("  threads  \(BLASRuntime.threads) per rank (pinned: thread count changes the bits)")
        let dir = DatasetLocation.resolve(specValue: nil, flag: data, environment: env)
        do {
            let (train, test) = try IDXDirectory.load(directory: dir)
            print("dataset    \(dir): \(train.count) train, \(test.count) test, sample shape \(train.sampleShape), \(train.classes) classes")
        } catch {
            print("dataset    \(dir): not usable: \(error)")
        }
    }
}
