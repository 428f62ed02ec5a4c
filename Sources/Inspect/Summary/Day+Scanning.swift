public import Vocabulary

/// Days as the inspection reads them (the scanner's forms, not only YYYY-MM-DD).
extension Day {
    /// `YYYY-MM-DD` (the `--as-of` form); also accepts `/` and `.` separators.
    public init?(iso: String) {
        let found = DateScanner.dates(in: iso, asOf: nil)
        guard found.count == 1 else { return nil }
        self = found[0]
    }
}
