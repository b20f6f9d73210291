#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KiB).
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
