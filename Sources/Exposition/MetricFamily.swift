/// A metric family with its metadata and samples, copied out of an exposition: the unit the
/// writer serialises, for `/metrics` passthrough and export.
public struct MetricFamily: Sendable, Hashable {
    /// The family name (without `_total`, `_bucket`, ... when a TYPE line declared it).
    public var name: String
    /// The declared type, `unknown` when none was declared.
    public var type: MetricType
    /// The HELP text, unescaped, if any.
    public var help: String?
    /// The OpenMetrics unit, if any.
    public var unit: String?
    /// The samples, in input order.
    public var samples: [ParsedSample]

    /// Creates a family.
    public init(name: String, type: MetricType = .unknown, help: String? = nil, unit: String? = nil, samples: [ParsedSample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
    }
}

/// Groups samples and metadata into families, keeping the order in which families first appear.
public struct FamilyCollector: ExpositionVisitor {
    /// The families seen so far.
    public var families: [MetricFamily] = []
    private var indexByName: [String: Int] = [:]

    /// Creates an empty collector.
    public init() {}

    private mutating func family(named name: String) -> Int {
        if let index = indexByName[name] { return index }
        families.append(MetricFamily(name: name))
        indexByName[name] = families.count - 1
        return families.count - 1
    }

    public mutating func visitSample(_ sample: SampleView) throws {
        let index = family(named: String(decoding: sample.familyName, as: UTF8.self))
        families[index].type = sample.type
        families[index].samples.append(sample.makeSample())
    }

    public mutating func visitMetadata(_ metadata: MetadataView) throws {
        let index = family(named: String(decoding: metadata.name, as: UTF8.self))
        let text = String(decoding: metadata.text, as: UTF8.self)
        switch metadata.kind {
        case .help: families[index].help = text
        case .type: families[index].type = metadata.type ?? .unknown
        case .unit: families[index].unit = text
        }
    }
}
