extension Array where Element == Float {
    /// Makes the array `count` long, keeping its storage: shorter drops the tail without freeing,
    /// longer appends zeros within the room it had. A tensor's storage changes size with the
    /// batch with it (`Tensor.resize`), and so do per-batch buffers that are plain arrays (a
    /// mask's counts); memory is allocated only past the largest size they ever had.
    /// (Concrete, not generic over `Element`: unspecialised, the append went element by element
    /// through the generic sequence path, and a GPT run's test took 54.6 s instead of 2.1 s.)
    public mutating func setCount(_ count: Int) {
        if self.count > count {
            removeLast(self.count - count)
        } else if self.count < count {
            append(contentsOf: repeatElement(0, count: count - self.count))
        }
    }
}
