import ArgumentParser
import Sweep

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List the keys a sweep spec may hold: type, default, and whether a list sweeps it.")

    @Flag(help: "As a Markdown table (for README.md).")
    var markdown = false

    func run() throws {
        if markdown {
            print("| key | values | default | list sweeps it | meaning |")
            print("|---|---|---|---|---|")
        }
        for key in SpecSchema.keys {
            let fallback = key.defaultValue?.description ?? (key.name == "name" ? "file name" : key.name == "data_dir" ? "see --data" : "required")
            if markdown {
                print("| `\(key.name)` | \(key.expectation) | \(fallback) | \(key.sweepable ? "yes" : "no") | \(key.doc) |")
            } else {
                print("\(key.name)\n    \(key.expectation); default: \(fallback)\(key.sweepable ? "; a list sweeps it" : "")\n    \(key.doc)")
            }
        }
    }
}
