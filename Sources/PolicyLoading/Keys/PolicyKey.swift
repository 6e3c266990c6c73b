import Policy

/// One key of a policy file, defined once: its name, its schema (type, range, summary), where its
/// value lives in the model, and how it is written back. The schema checker, the loader, the
/// ``PolicyDocument`` writer and `ballast check --print-schema` all read this one definition, so
/// adding a key is one entry in its section's table.
struct PolicyKey<Model> {
    /// The key as written in YAML.
    var name: String
    /// Whether the key must be present.
    var required: Bool
    /// The value's schema; a leaf's default is filled in from its section's template.
    var node: SchemaNode
    /// Whether the template's value is documented as the key's default (leaves, not sections).
    var documentsDefault: Bool
    /// Sets the key's value on the model; called only when the value passed its schema check.
    var load: (Checked, inout Model, inout PolicyBuilder) -> Void
    /// The key's value as a policy writes it; `nil` leaves the key out.
    var encode: (Model) -> PolicyDocument?

    var field: SchemaField { SchemaField(name, required: required, node) }
}

extension PolicyKey {
    /// A key holding a value the model always has (the template's value is its default).
    static func value<Value: PolicyValue>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, Value>,
        _ kind: SchemaKind,
        _ summary: String,
        required: Bool = false
    ) -> PolicyKey {
        PolicyKey(
            name: name,
            required: required,
            node: SchemaNode(kind, summary),
            documentsDefault: !required,
            load: { checked, model, _ in
                guard let value = Value(checked: checked.value) else { return mismatch(name, checked, Value.self) }
                model[keyPath: keyPath] = value
            },
            encode: { $0[keyPath: keyPath].document }
        )
    }

    /// A key whose value may be absent; `documentedDefault` names what absence means when that is
    /// a value (a limit applied elsewhere).
    static func value<Value: PolicyValue>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, Value?>,
        _ kind: SchemaKind,
        _ summary: String,
        required: Bool = false,
        documentedDefault: PolicyDocument? = nil
    ) -> PolicyKey {
        PolicyKey(
            name: name,
            required: required,
            node: SchemaNode(kind, summary, default: documentedDefault),
            documentsDefault: false,
            load: { checked, model, _ in
                guard let value = Value(checked: checked.value) else { return mismatch(name, checked, Value.self) }
                model[keyPath: keyPath] = value
            },
            encode: { $0[keyPath: keyPath]?.document }
        )
    }

    /// A list that is left out when empty (a policy's list needs an item).
    static func nonEmpty<Element: PolicyValue>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, [Element]>,
        _ kind: SchemaKind,
        _ summary: String,
        required: Bool = false
    ) -> PolicyKey {
        var key = value(name, keyPath, kind, summary, required: required)
        key.documentsDefault = false
        key.encode = { model in model[keyPath: keyPath].isEmpty ? nil : model[keyPath: keyPath].document }
        return key
    }

    /// A nested mapping the model always has; absent, the section's template applies.
    static func section<Child>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, Child>,
        _ section: PolicySection<Child>,
        required: Bool = false
    )
        -> PolicyKey
    {
        PolicyKey(
            name: name,
            required: required,
            node: section.node,
            documentsDefault: false,
            load: { checked, model, builder in
                guard case .object(let object) = checked.value else { return mismatch(name, checked, Child.self) }
                model[keyPath: keyPath] = section.build(object, &builder)
            },
            encode: { section.document(of: $0[keyPath: keyPath]) }
        )
    }

    /// A nested mapping the model always has, or `word` in its place, which `off` applies to the
    /// template (`scrape: none`).
    static func section<Child>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, Child>,
        _ section: PolicySection<Child>,
        or word: String,
        off: @escaping (inout Child) -> Void,
        isOff: @escaping (Child) -> Bool
    ) -> PolicyKey {
        var key = Self.section(name, keyPath, section)
        if case .object(let fields) = key.node.kind { key.node.kind = .objectOr(word: word, fields) }
        key.load = { checked, model, builder in
            switch checked.value {
            case .object(let object): model[keyPath: keyPath] = section.build(object, &builder)
            case .text(word): off(&model[keyPath: keyPath])
            default: mismatch(name, checked, Child.self)
            }
        }
        key.encode = { model in isOff(model[keyPath: keyPath]) ? .text(word) : section.document(of: model[keyPath: keyPath]) }
        return key
    }

    /// A nested mapping that is present only when written.
    static func section<Child>(_ name: String, _ keyPath: WritableKeyPath<Model, Child?>, _ section: PolicySection<Child>) -> PolicyKey {
        PolicyKey(
            name: name,
            required: false,
            node: section.node,
            documentsDefault: false,
            load: { checked, model, builder in
                guard case .object(let object) = checked.value else { return mismatch(name, checked, Child.self) }
                model[keyPath: keyPath] = section.build(object, &builder)
            },
            encode: { $0[keyPath: keyPath].map(section.document(of:)) }
        )
    }

    /// A list of mappings, left out when empty.
    static func list<Child>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, [Child]>,
        _ section: PolicySection<Child>,
        _ summary: String
    )
        -> PolicyKey
    {
        PolicyKey(
            name: name,
            required: false,
            node: SchemaNode(.list(section.node, minimumCount: 1), summary),
            documentsDefault: false,
            load: { checked, model, builder in
                guard case .list(let items) = checked.value else { return mismatch(name, checked, Child.self) }
                model[keyPath: keyPath] = items.compactMap { item in
                    if case .object(let object) = item.value { section.build(object, &builder) } else { nil }
                }
            },
            encode: { model in
                let items = model[keyPath: keyPath]
                return items.isEmpty ? nil : .list(items.map(section.document(of:)))
            }
        )
    }

    /// A mapping from names or addresses the user chose to values, held in the model as pairs.
    static func entries<Entry, Key: PolicyValue, Value: PolicyValue>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, [Entry]>,
        key keyFormat: StringFormat,
        value valueNode: SchemaNode,
        _ summary: String,
        make: @escaping (Key, Value) -> Entry,
        split: @escaping (Entry) -> (Key, Value)
    ) -> PolicyKey {
        PolicyKey(
            name: name,
            required: false,
            node: SchemaNode(.map(key: keyFormat, value: valueNode), summary),
            documentsDefault: false,
            load: { checked, model, _ in
                guard case .map(let pairs) = checked.value else { return mismatch(name, checked, Entry.self) }
                model[keyPath: keyPath] = pairs.compactMap { pair in
                    guard let key = Key(checked: pair.key.value), let value = Value(checked: pair.value.value) else {
                        mismatch(name, pair.value, Value.self)
                        return nil
                    }
                    return make(key, value)
                }
            },
            encode: { model in
                let entries = model[keyPath: keyPath]
                guard !entries.isEmpty else { return nil }
                return .object(entries.map(split).map { PolicyDocument.Entry(key: keyText($0.0.document), value: $0.1.document) })
            }
        )
    }

    /// One of several keys that spell one model value, each naming its kind (`replicas: 2` or
    /// `percent: 10%`); the section's rules require exactly one of them.
    static func choice<Value: PolicyValue, Choice>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, Choice>,
        _ kind: SchemaKind,
        _ summary: String,
        embed: @escaping (Value) -> Choice,
        extract: @escaping (Choice) -> Value?
    ) -> PolicyKey {
        PolicyKey(
            name: name,
            required: false,
            node: SchemaNode(kind, summary),
            documentsDefault: false,
            load: { checked, model, _ in
                guard let value = Value(checked: checked.value) else { return mismatch(name, checked, Value.self) }
                model[keyPath: keyPath] = embed(value)
            },
            encode: { extract($0[keyPath: keyPath])?.document }
        )
    }

    /// A key with its own reading and writing (one of several spellings of one model value).
    static func custom(
        _ name: String,
        _ node: SchemaNode,
        required: Bool = false,
        load: @escaping (Checked, inout Model, inout PolicyBuilder) -> Void,
        encode: @escaping (Model) -> PolicyDocument?
    ) -> PolicyKey {
        PolicyKey(name: name, required: required, node: node, documentsDefault: false, load: load, encode: encode)
    }

    /// A map key's text (names and addresses are text).
    private static func keyText(_ document: PolicyDocument) -> String {
        if case .text(let text) = document { text } else { "\(document)" }
    }

    /// A key whose schema kind does not produce the model's type is a mistake in the key table;
    /// the schema tests load every key, so this fails there rather than falling back to a default.
    private static func mismatch<Value>(_ name: String, _ checked: Checked, _: Value.Type) {
        assertionFailure("policy key \(name): its schema yields \(checked.value), not a \(Value.self)")
    }
}

/// A mapping of the policy file: its keys, the model it builds from a template, and the rules
/// across its keys (min ≤ max, one of several spellings, references to defined signals).
struct PolicySection<Model> {
    /// A sentence for editors.
    var summary: String
    /// The model with every default; keys overwrite what they set.
    var template: Model
    /// The keys, in the order the schema lists them.
    var keys: [PolicyKey<Model>]
    /// Checks across keys and derives what depends on several; reports through the builder.
    var finish: (CheckedObject, inout Model, inout PolicyBuilder) -> Void

    init(
        _ summary: String,
        template: Model,
        keys: [PolicyKey<Model>],
        finish: @escaping (CheckedObject, inout Model, inout PolicyBuilder) -> Void = { _, _, _ in }
    ) {
        self.summary = summary
        self.template = template
        self.keys = keys
        self.finish = finish
    }

    /// The section's schema, each leaf's default read from the template.
    var node: SchemaNode {
        let fields = keys.map { key in
            var field = key.field
            if key.documentsDefault, let value = key.encode(template) { field.node.defaultValue = value }
            return field
        }
        return SchemaNode(.object(fields), summary)
    }

    /// The model from a checked mapping: the template, each written key, then the section's rules.
    func build(_ object: CheckedObject, _ builder: inout PolicyBuilder) -> Model {
        var model = template
        for key in keys {
            if let checked = object.fields[key.name] { key.load(checked, &model, &builder) }
        }
        finish(object, &model, &builder)
        return model
    }

    /// The model as the mapping a policy writes.
    func document(of model: Model) -> PolicyDocument {
        .object(keys.compactMap { key in key.encode(model).map { PolicyDocument.Entry(key: key.name, value: $0) } })
    }
}
