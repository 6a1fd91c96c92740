/// A discrete-event queue on the virtual clock: the earliest item first, and items due at the
/// same time in the order they were scheduled. Items due at one time share a bucket (a broadcast
/// puts a whole LAN's deliveries at one instant), so a push or pop costs a heap step only for a
/// new time.
struct EventQueue<Item> {
    /// The distinct due times, a binary min-heap.
    private var times: [Double] = []
    /// Due time → its bucket in `buckets`.
    private var slots: [Double: Int] = [:]
    /// Items of one due time, in the order they were pushed; `heads` counts those taken.
    private var buckets: [[Item?]] = []
    private var heads: [Int] = []
    /// Buckets emptied, to reuse.
    private var spare: [Int] = []

    var nextTime: Double? { times.first }

    mutating func push(_ time: Double, _ item: Item) {
        if let b = slots[time] {
            buckets[b].append(item)
            return
        }
        let b: Int
        if let reused = spare.popLast() {
            b = reused
        } else {
            b = buckets.count
            buckets.append([])
            heads.append(0)
        }
        buckets[b].append(item)
        slots[time] = b
        times.append(time)
        var i = times.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard times[i] < times[parent] else { break }
            times.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (time: Double, item: Item)? {
        guard let time = times.first, let b = slots[time] else { return nil }
        let item = buckets[b][heads[b]].take()!
        heads[b] += 1
        if heads[b] == buckets[b].count {
            buckets[b].removeAll(keepingCapacity: buckets[b].count <= 4096)
            heads[b] = 0
            spare.append(b)
            slots[time] = nil
            removeEarliestTime()
        }
        return (time, item)
    }

    private mutating func removeEarliestTime() {
        times.swapAt(0, times.count - 1)
        times.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < times.count, times[l] < times[m] { m = l }
            if r < times.count, times[r] < times[m] { m = r }
            if m == i { break }
            times.swapAt(i, m)
            i = m
        }
    }
}
