/// Where the IDX directory for image datasets is.
public enum DatasetLocation {
    /// Where Debian's `dataset-fashion-mnist` package installs its files.
    public static let defaultFashionMNIST = "/usr/share/datasets/fashion-mnist"

    /// The environment variable that overrides the spec's `data_dir`.
    public static let environmentVariable = "OVERPARAM_DATA"

    /// The first of: the command-line `flag`, `OVERPARAM_DATA` in `environment`, the
    /// spec's `data_dir` value, `defaultFashionMNIST`. Empty strings count as unset.
    public static func resolve(specValue: String?, flag: String?, environment: [String: String]) -> String {
        let candidates = [flag, environment[environmentVariable], specValue]
        return candidates.lazy.compactMap { $0 }.first { !$0.isEmpty } ?? defaultFashionMNIST
    }
}
