import Coordination
import PostgresNIO
import Testing

@Suite struct PostgresDSNTests {
    @Test func anIPv6HostLosesItsBrackets() throws {
        let dsn = try PostgresDSN("postgres://ballast:pw@[::1]:6543/leases?sslmode=disable\n", path: "dsn")
        #expect(dsn.client.host == "::1")
        #expect(dsn.client.port == 6543)
        #expect(dsn.connection.host == "::1")
        #expect(dsn.connection.port == 6543)
        #expect(dsn.connection.database == "leases")
    }

    @Test func percentEncodedPartsAreDecoded() throws {
        let dsn = try PostgresDSN("postgresql://bal%40last:p%2Fw@db.example:5432/my%20db", path: "dsn")
        #expect(dsn.client.username == "bal@last")
        #expect(dsn.client.password == "p/w")
        #expect(dsn.client.database == "my db")
    }

    @Test func aSocketDirectoryConnectsThroughTheUnixSocket() throws {
        let dsn = try PostgresDSN("postgres://postgres@localhost:5433/postgres?host=/run/postgresql", path: "dsn")
        #expect(dsn.client.unixSocketPath == "/run/postgresql/.s.PGSQL.5433")
        #expect(dsn.connection.unixSocketPath == "/run/postgresql/.s.PGSQL.5433")
    }

    @Test(arguments: [
        ("postgres://u:secret@h:70000/db", "has port 70000; use 1 to 65535"),
        ("postgres://u:secret@h:0/db", "has port 0; use 1 to 65535"),
        ("mysql://u:secret@h/db", "is not a postgres://"),
        ("postgres://:secret@h/db", "names no user"),
        ("postgres://u:secret@h/db?sslmode=verify-nothing", "has sslmode=verify-nothing"),
        ("postgres://u:secret@h/db\npostgres://u:secret@h/db", "holds more than one line"),
    ])
    func aDSNThatCannotBeUsedNamesTheFileAndNeverThePassword(text: String, reason: String) {
        #expect {
            try PostgresDSN(text, path: "/etc/ballast/dsn")
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("/etc/ballast/dsn: the PostgreSQL DSN ") && message.contains(reason) && !message.contains("secret")
        }
    }
}
