import Foundation

/// Rank 0's progress: tasks done / total, rate and ETA. On a terminal one line is
/// redrawn in place; otherwise (a log file, CI) a plain line every 10 % or 30 s.
final class ProgressReporter {
    private var total: Int
    private var done: Int
    private let startDone: Int
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastPlainDecile = -1
    private let live = isatty(STDERR_FILENO) != 0
    private(set) var failed = 0
    private(set) var diverged = 0

    init(total: Int, alreadyDone: Int) {
        self.total = total
        self.done = alreadyDone
        self.startDone = alreadyDone
    }

    /// Tasks that joined the sweep while it runs (the adaptive mode).
    func tasksAdded(_ n: Int) { total += n }

    func taskFinished(diverged isDiverged: Bool = false, failed isFailed: Bool = false) {
        done += 1
        if isDiverged { diverged += 1 }
        if isFailed { failed += 1 }
        draw(force: done == total)
    }

    /// A message that must not be overwritten by the live line.
    func note(_ text: String) {
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((text + "\n").utf8))
        draw(force: true)
    }

    private func line() -> String {
        let elapsed = Date().timeIntervalSince(start)
        let newDone = done - startDone
        let rate = elapsed > 0 ? Double(newDone) / elapsed : 0
        let left = total - done
        let eta = rate > 0 ? formatDuration(Double(left) / rate) : "--"
        let pct = total > 0 ? 100 * Double(done) / Double(total) : 100
        var text = String(format: "[%d/%d] %5.1f%%  %.2f tasks/s  elapsed %@  ETA %@",
                          done, total, pct, rate, formatDuration(elapsed), eta)
        if diverged > 0 { text += "  diverged \(diverged)" }
        if failed > 0 { text += "  FAILED \(failed)" }
        return text
    }

    private func draw(force: Bool) {
        let now = Date()
        if live {
            guard force || now.timeIntervalSince(lastDraw) > 0.2 else { return }
            lastDraw = now
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line() + (done == total ? "\n" : "")).utf8))
        } else {
            let decile = total > 0 ? 10 * done / total : 10
            guard done == total || decile > lastPlainDecile || now.timeIntervalSince(lastDraw) > 30 else { return }
            lastPlainDecile = decile
            lastDraw = now
            FileHandle.standardError.write(Data((line() + "\n").utf8))
        }
    }
}

func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) }
    return String(format: "%d:%02d", s / 60, s % 60)
}
