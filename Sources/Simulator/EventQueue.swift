/// A discrete-event queue on the virtual clock: the earliest item first, and items due at the
/// same time in the order they were scheduled.
struct EventQueue<Item> {
    private var heap: [(time: Double, seq: Int, item: Item)] = []
    private var counter = 0

    var nextTime: Double? { heap.first?.time }

    mutating func push(_ time: Double, _ item: Item) {
        counter += 1
        heap.append((time, counter, item))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (time: Double, item: Item)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, less(l, m) { m = l }
            if r < heap.count, less(r, m) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return (top.time, top.item)
    }

    private func less(_ a: Int, _ b: Int) -> Bool { (heap[a].time, heap[a].seq) < (heap[b].time, heap[b].seq) }
}
