#if PostgreSQL  // the whole file: Package.swift, trait PostgreSQL
import Foundation
import PostgresNIO
import Sweep
package import Vocabulary

/// Sites and rounds: what `fleet add` and `fleet round` write.
extension FleetDatabase {
    package struct AddResult: Sendable, Equatable {
        package var added = 0
        package var updated = 0
        package init(added: Int = 0, updated: Int = 0) { self.added = added; self.updated = updated }
    }

    /// Registers the sites, or updates those already there (same first URL), in one
    /// transaction: a failure adds nothing.
    package func addSites(_ sites: [FleetSite]) async throws -> AddResult {
        try await transaction { conn in
            var result = AddResult()
            for site in sites {
                let urls = site.urls.joined(separator: " ")
                let inputs = try FleetSite.encodeInputs(site)
                let rows = try await conn.query(
                    """
                    INSERT INTO fleet_sites (site_key, urls, name, owner, region, profile_name, inputs)
                    VALUES (\(site.key), \(urls), \(site.name), \(site.owner), \(site.region), \(site.profileName), \(inputs)::jsonb)
                    ON CONFLICT (site_key) DO UPDATE SET urls = EXCLUDED.urls, name = EXCLUDED.name, owner = EXCLUDED.owner,
                        region = EXCLUDED.region, profile_name = EXCLUDED.profile_name, inputs = EXCLUDED.inputs, updated_at = now()
                    RETURNING id, (xmax = 0)
                    """, logger: logger)
                var siteID: Int64 = 0
                for try await (id, inserted) in rows.decode((Int64, Bool).self) {
                    siteID = id
                    if inserted { result.added += 1 } else { result.updated += 1 }
                }
                let hosts = site.hosts
                try await conn.query("INSERT INTO fleet_hosts (host) SELECT unnest(\(hosts)::text[]) ON CONFLICT DO NOTHING", logger: logger)
                try await conn.query("DELETE FROM fleet_site_hosts WHERE site_id = \(siteID)", logger: logger)
                try await conn.query("INSERT INTO fleet_site_hosts (site_id, host) SELECT \(siteID), unnest(\(hosts)::text[])", logger: logger)
            }
            return result
        }
    }

    /// Creates a round of the sites `filter` takes (all when empty) and returns its id and
    /// job count. A filter is a comma-separated list of terms; a site is taken when a term is
    /// a prefix of its region, its owner, or a part of its name or of a start URL.
    package func createRound(asOf: Day, filter: String = "") async throws -> (round: Int64, jobs: Int) {
        let terms = filter.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try await transaction { conn in
            var round: Int64 = 0
            // Rounds are numbered 1, 2, 3 … without gaps (the summary's title says 第 N 轮): the
            // next after the highest, under a lock, not the serial's value, which a refused
            // round (no site matched) would have used up.
            try await conn.query("LOCK TABLE fleet_rounds IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            for try await id in try await conn.query(
                """
                INSERT INTO fleet_rounds (id, as_of, filter) SELECT coalesce(max(id), 0) + 1, \(asOf.description)::date, \(filter) FROM fleet_rounds
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) { round = id }
            var jobs = 0
            for try await n in try await conn.query(
                """
                WITH made AS (
                    INSERT INTO fleet_jobs (round_id, site_id)
                    SELECT \(round), s.id FROM fleet_sites s
                    WHERE cardinality(\(terms)::text[]) = 0 OR EXISTS (
                        SELECT 1 FROM unnest(\(terms)::text[]) t
                        WHERE starts_with(s.region, t) OR s.owner = t OR strpos(s.name, t) > 0 OR strpos(s.urls, t) > 0)
                    ORDER BY s.id
                    RETURNING 1)
                SELECT count(*) FROM made
                """, logger: logger
            ).decode(Int64.self) { jobs = Int(n) }
            guard jobs > 0 else {
                throw UserFailure.badInput(
                    terms.isEmpty ? "no site registered (govsweep fleet add SITES.csv)" : "--sites \(filter): no registered site matches")
            }
            return (round, jobs)
        }
    }

    /// A registered site by id.
    package func site(id: Int64) async throws -> FleetSite? {
        try await transaction { conn in
            let rows = try await conn.query(
                "SELECT urls, name, owner, region, profile_name, inputs::text FROM fleet_sites WHERE id = \(id)", logger: logger)
            for try await (urls, name, owner, region, profile, inputs) in rows.decode((String, String, String, String, String?, String).self) {
                var site = FleetSite(urls: urls.split(separator: " ").map(String.init), name: name, owner: owner, region: region)
                site.profileName = profile
                try site.decodeInputs(inputs)
                return site
            }
            return nil
        }
    }
}

extension FleetSite {
    static let inputNames = ["profile", "departments", "phones", "accounts", "wording"]

    var inputs: [String: SiteInput] {
        var out: [String: SiteInput] = [:]
        out["profile"] = profileFile
        out["departments"] = departments
        out["phones"] = phones
        out["accounts"] = accounts
        out["wording"] = wording
        return out
    }

    static func encodeInputs(_ site: FleetSite) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(site.inputs), as: UTF8.self)
    }

    mutating func decodeInputs(_ json: String) throws {
        let map = try JSONDecoder().decode([String: SiteInput].self, from: Data(json.utf8))
        profileFile = map["profile"]
        departments = map["departments"]
        phones = map["phones"]
        accounts = map["accounts"]
        wording = map["wording"]
    }
}
#endif
