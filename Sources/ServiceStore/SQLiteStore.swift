import Foundation
import GRDB

/// The embedded backend: one SQLite file in WAL mode through GRDB, created and migrated when
/// opened. Writes are serialized by GRDB's writer; reads run beside them (WAL).
public final class SQLiteStore: StoreBackend {
    let pool: DatabasePool
    /// The file's path.
    public let path: String

    /// Opens (creating it and its folder if missing) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var config = Configuration()
            config.prepareDatabase { db in
                // WAL is DatabasePool's mode; `synchronous = FULL` makes each commit durable
                // before it returns (NORMAL could lose the last commits on power loss).
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            config.busyMode = .timeout(5)
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError.database("cannot open `\(path)`: \(error.message ?? error.description)")
        } catch {
            throw StoreError.database("cannot open `\(path)`: \(error)")
        }
    }

    /// The schema, one migration per version: tables keyed by tenant first.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE events (tenant TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, body BLOB NOT NULL,
                                     PRIMARY KEY (tenant, seq)) WITHOUT ROWID;
                CREATE TABLE snapshots (tenant TEXT NOT NULL, seq INTEGER NOT NULL, pack_version INTEGER NOT NULL, body BLOB NOT NULL,
                                        PRIMARY KEY (tenant, seq));
                CREATE TABLE packs (tenant TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL, source BLOB NOT NULL,
                                    artifact BLOB NOT NULL, loaded_at INTEGER NOT NULL, PRIMARY KEY (tenant, version));
                CREATE TABLE alerts (tenant TEXT NOT NULL, id INTEGER NOT NULL, fingerprint TEXT NOT NULL, alertname TEXT NOT NULL,
                                     status TEXT NOT NULL, severity INTEGER NOT NULL, labels TEXT NOT NULL, record TEXT NOT NULL,
                                     updated_at INTEGER NOT NULL, PRIMARY KEY (tenant, id));
                CREATE INDEX alerts_by_status ON alerts (tenant, status, id);
                CREATE TABLE timeline (tenant TEXT NOT NULL, alert_id INTEGER NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL,
                                       at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL,
                                       PRIMARY KEY (tenant, alert_id, seq, idx));
                CREATE TABLE outbox (tenant TEXT NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL, at INTEGER NOT NULL,
                                     channel TEXT NOT NULL, alert_id INTEGER NOT NULL, kind TEXT NOT NULL, level INTEGER,
                                     grp TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', PRIMARY KEY (tenant, seq, idx));
                CREATE INDEX outbox_pending ON outbox (status, tenant, seq);
                CREATE TABLE audit (tenant TEXT NOT NULL, n INTEGER NOT NULL, at INTEGER NOT NULL, alert_id INTEGER, event TEXT NOT NULL,
                                    detail TEXT NOT NULL, actor TEXT NOT NULL, pack_hash TEXT NOT NULL, prev_hash TEXT NOT NULL,
                                    hash TEXT NOT NULL, PRIMARY KEY (tenant, n));
                """)
        }
        return m
    }

    public func commit(_ writes: [EventWrite]) async throws {
        do {
            try await pool.write { db in
                for w in writes { try Self.apply(w, db) }
            }
        } catch let error as DatabaseError {
            throw StoreError.database("commit of \(writes.count) events failed: \(error.message ?? error.description)")
        }
    }

    static func apply(_ w: EventWrite, _ db: Database) throws {
        let t = w.tenant.name
        if let p = w.pack {
            try db.execute(sql: "INSERT INTO packs (tenant, version, hash, source, artifact, loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [t, p.version, p.hash, p.source, p.artifact, p.loadedAt])
        }
        if let e = w.event {
            try db.execute(sql: "INSERT INTO events (tenant, seq, at, body) VALUES (?, ?, ?, ?)", arguments: [t, e.seq, e.at, e.body])
        }
        for a in w.alerts {
            try db.execute(sql: """
                INSERT INTO alerts (tenant, id, fingerprint, alertname, status, severity, labels, record, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant, id) DO UPDATE SET status = excluded.status, severity = excluded.severity, labels = excluded.labels,
                    record = excluded.record, updated_at = excluded.updated_at
                """, arguments: [t, a.id, a.fingerprint, a.alertname, a.status, a.severity, a.labels, a.record, a.updatedAt])
        }
        for e in w.timeline {
            try db.execute(sql: "INSERT OR IGNORE INTO timeline (tenant, alert_id, seq, idx, at, kind, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [t, e.alertID, e.seq, e.index, e.at, e.kind, e.detail])
        }
        // The id is unique: a notification recorded once is never recorded (or sent) again.
        for o in w.outbox {
            try db.execute(sql: """
                INSERT OR IGNORE INTO outbox (tenant, seq, idx, at, channel, alert_id, kind, level, grp, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [t, o.id.seq, o.id.index, o.at, o.channel, o.alertID, o.kind, o.level, o.group, o.status])
        }
        for a in w.audit {
            try db.execute(sql: """
                INSERT INTO audit (tenant, n, at, alert_id, event, detail, actor, pack_hash, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [t, a.number, a.at, a.alertID, a.event, a.detail, a.actor, a.packHash, a.previousHash, a.hash])
        }
        if let s = w.snapshot {
            try db.execute(sql: "INSERT OR REPLACE INTO snapshots (tenant, seq, pack_version, body) VALUES (?, ?, ?, ?)",
                           arguments: [t, s.seq, s.packVersion, s.body])
            // Compaction: the snapshot stands for everything up to it.
            try db.execute(sql: "DELETE FROM events WHERE tenant = ? AND seq <= ?", arguments: [t, s.seq])
            try db.execute(sql: "DELETE FROM snapshots WHERE tenant = ? AND seq < ?", arguments: [t, s.seq])
        }
    }
}
