/// The broadcast domains: which interfaces each LAN holds, in scenario order, with an index of
/// the IPv4 and hardware addresses on each, so that a unicast finds its target and an address
/// conflict is found without walking the LAN (SIMULATION.md "The network").
struct LANTable {
    /// An interface plugged into a LAN: its device and its index in `device.interfaces`.
    struct Member: Equatable {
        let device: Int
        let iface: Int
    }

    /// An address on a LAN.
    struct Spot: Hashable {
        let lan: Int
        let ip: UInt32
    }

    private(set) var ids: [String: Int] = [:]
    private(set) var names: [String] = []
    /// Each LAN's members, in the order the scenario lists devices and their interfaces.
    private(set) var members: [[Member]] = []
    /// Per LAN: the members' positions holding each IPv4 address (not `0.0.0.0`), in order.
    private var byIP: [[UInt32: [Int]]] = []
    /// Per LAN: the members' positions with each hardware address (lower case), in order.
    private var byMAC: [[String: [Int]]] = []
    /// Per device and interface: its LAN and position there (the scenario's `lan`).
    private var places: [[(lan: Int, position: Int)?]] = []
    /// Addresses that some interface took since conflicts were last looked for.
    private var fresh: Set<Spot> = []

    /// Adds a device's interfaces (devices in scenario order).
    mutating func add(device d: Int, _ infos: [InterfaceInfo]) {
        precondition(d == places.count)
        var own: [(lan: Int, position: Int)?] = []
        for (j, info) in infos.enumerated() {
            guard let name = info.lan else {
                own.append(nil)
                continue
            }
            let lan: Int
            if let id = ids[name] {
                lan = id
            } else {
                lan = names.count
                ids[name] = lan
                names.append(name)
                members.append([])
                byIP.append([:])
                byMAC.append([:])
            }
            let position = members[lan].count
            members[lan].append(Member(device: d, iface: j))
            own.append((lan, position))
            index(lan: lan, position: position, old: nil, new: info)
        }
        places.append(own)
    }

    /// Follows a device's interfaces after they changed.
    mutating func update(device d: Int, old: [InterfaceInfo], new: [InterfaceInfo]) {
        for (j, place) in places[d].enumerated() {
            guard let place else { continue }
            let before = j < old.count ? old[j] : nil
            let after = j < new.count ? new[j] : nil
            index(lan: place.lan, position: place.position, old: before, new: after)
        }
    }

    private mutating func index(lan: Int, position: Int, old: InterfaceInfo?, new: InterfaceInfo?) {
        let oldIP = old?.address
        let newIP = new?.address
        if oldIP != newIP {
            if let oldIP { byIP[lan][oldIP]?.removeAll { $0 == position } }
            if let newIP {
                insert(position, into: &byIP[lan][newIP, default: []])
                if byIP[lan][newIP]!.count > 1 { fresh.insert(Spot(lan: lan, ip: newIP)) }
            }
        }
        let oldMAC = old?.mac
        let newMAC = new?.mac
        if oldMAC != newMAC {
            if let oldMAC { byMAC[lan][oldMAC]?.removeAll { $0 == position } }
            if let newMAC { insert(position, into: &byMAC[lan][newMAC, default: []]) }
        }
    }

    private func insert(_ position: Int, into list: inout [Int]) {
        let at = list.firstIndex { $0 > position } ?? list.count
        list.insert(position, at: at)
    }

    /// The first member holding the IPv4 address, other than `except`.
    func holder(lan: Int, ip: UInt32, except: Member) -> Member? {
        guard let positions = byIP[lan][ip] else { return nil }
        for p in positions where members[lan][p] != except { return members[lan][p] }
        return nil
    }

    /// The first member with the hardware address (lower case).
    func member(lan: Int, mac: String) -> Member? {
        byMAC[lan][mac]?.first.map { members[lan][$0] }
    }

    /// Every address held by two members of a LAN that has not been looked at since it was taken,
    /// as (LAN, first holder, second holder), by LAN name and then by the second holder's place.
    mutating func takeConflicts() -> [(lan: Int, ip: UInt32, first: Member, second: Member)] {
        guard !fresh.isEmpty else { return [] }
        var out: [(lan: Int, ip: UInt32, first: Member, second: Member, position: Int)] = []
        for spot in fresh {
            guard let positions = byIP[spot.lan][spot.ip], positions.count > 1 else { continue }
            out.append(
                (spot.lan, spot.ip, members[spot.lan][positions[0]], members[spot.lan][positions[1]], positions[1]))
        }
        fresh = []
        out.sort { names[$0.lan] != names[$1.lan] ? names[$0.lan] < names[$1.lan] : $0.position < $1.position }
        return out.map { ($0.lan, $0.ip, $0.first, $0.second) }
    }
}
