import CMPI
import Foundation

/// Open MPI as a `Transport`. Only the thread that created it may call MPI
/// (`MPI_THREAD_FUNNELED`): on rank 0 that is the coordinator; the training thread
/// beside it never touches MPI.
public final class MPITransport: Transport {
    public let rank: Int
    public let size: Int
    private let world = cmpi_comm_world()

    /// True when this process was started by `mpirun` / `srun` (so MPI_Init can
    /// find its peers); a plain launch runs as a world of one without MPI.
    public static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil || env["PMI_RANK"] != nil
    }

    public init() {
        var provided: Int32 = 0
        MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided)
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(world, &r)
        MPI_Comm_size(world, &s)
        rank = Int(r)
        size = Int(s)
    }

    public func finalize() { MPI_Finalize() }

    public func send(_ payload: [UInt8], to destination: Int, tag: MessageTag) {
        payload.withUnsafeBytes { buf in
            _ = MPI_Send(buf.baseAddress, Int32(payload.count), cmpi_byte(), Int32(destination), tag.rawValue, world)
        }
    }

    public func poll() -> Message? {
        var flag: Int32 = 0
        var status = MPI_Status()
        MPI_Iprobe(cmpi_any_source(), cmpi_any_tag(), world, &flag, &status)
        guard flag != 0 else { return nil }
        var count: Int32 = 0
        MPI_Get_count(&status, cmpi_byte(), &count)
        var payload = [UInt8](repeating: 0, count: Int(count))
        payload.withUnsafeMutableBytes { buf in
            _ = MPI_Recv(buf.baseAddress, count, cmpi_byte(), status.MPI_SOURCE, status.MPI_TAG, world, cmpi_status_ignore())
        }
        guard let tag = MessageTag(rawValue: status.MPI_TAG) else { return poll() }
        return Message(source: Int(status.MPI_SOURCE), tag: tag, payload: payload)
    }

    /// Rank 0's bytes, delivered to every rank (a collective: all ranks call it).
    public func broadcast(_ bytes: [UInt8]) -> [UInt8] {
        var count = Int64(bytes.count)
        MPI_Bcast(&count, 8, cmpi_byte(), 0, world)
        var buffer = rank == 0 ? bytes : [UInt8](repeating: 0, count: Int(count))
        if count > 0 {
            buffer.withUnsafeMutableBytes { buf in
                _ = MPI_Bcast(buf.baseAddress, Int32(count), cmpi_byte(), 0, world)
            }
        }
        return buffer
    }

    /// Every rank's string, on every rank, in rank order (a collective).
    public func allGather(_ text: String) -> [String] {
        let width = 256
        var mine = [UInt8](text.utf8.prefix(width - 1))
        mine += [UInt8](repeating: 0, count: width - mine.count)
        var all = [UInt8](repeating: 0, count: width * size)
        mine.withUnsafeBytes { src in
            all.withUnsafeMutableBytes { dst in
                _ = MPI_Allgather(src.baseAddress, Int32(width), cmpi_byte(),
                                  dst.baseAddress, Int32(width), cmpi_byte(), world)
            }
        }
        return (0..<size).map { r in
            let slice = all[(r * width)..<((r + 1) * width)]
            return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The library's own version line, e.g. "Open MPI v4.1.4, ...".
    public static var libraryVersion: String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_library_version_string()))
        var length: Int32 = 0
        MPI_Get_library_version(&buffer, &length)
        let text = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: ",").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? text
    }
}
