/// max(0, x) in place. NaN stays NaN, so a diverged model is still seen as diverged.
@inlinable public func reluInPlace<T: BLASScalar>(_ m: inout Matrix<T>) {
    m.storage.withUnsafeMutableBufferPointer { p in
        for i in p.indices where p[i] < 0 { p[i] = 0 }
    }
}
