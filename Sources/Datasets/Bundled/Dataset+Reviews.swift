import TensorCore

/// Synthetic product and film reviews for binary sentiment classification.
///
/// No labelled text set with a clear licence could be had offline here, so Descent builds its
/// own: every review is assembled from the word lists below by a seeded generator — they are not
/// real opinions. Each review has one or two clauses "the <thing> was [very] <adjective>",
/// optional neutral filler, and is positive (1) or negative (0). What makes it more than a
/// keyword lookup:
/// - negation ("was not great", "never boring") flips a clause, so word order matters;
/// - a contrast ("… but the ending was superb") lets the second clause decide;
/// - 5 % of the labels are flipped at random (noisy annotators), capping accuracy near 0.95.
/// A bag-of-words model (embedding + average) reaches about 0.85; the test bar is 0.80.
public enum SyntheticReviews {
    static let positive = ["good", "great", "excellent", "superb", "wonderful", "delightful", "brilliant",
                           "charming", "enjoyable", "fantastic", "moving", "solid", "clever", "fun", "beautiful"]
    static let negative = ["bad", "awful", "terrible", "dull", "boring", "poor", "weak", "clumsy",
                           "tedious", "disappointing", "bland", "annoying", "forgettable", "messy", "ugly"]
    static let things = ["film", "movie", "plot", "acting", "ending", "soundtrack", "story", "cast", "script",
                         "camera", "book", "product", "service", "design", "battery", "screen", "price"]
    static let openers = ["honestly", "overall", "i think", "in my view", "well", "to be fair", "frankly", ""]
    static let fillers = ["i watched it on a sunday", "my friend recommended it", "we saw it last week",
                          "it arrived on time", "i read it in two days", "the box was blue",
                          "there were many people there", "it lasted about two hours", ""]
    static let intensifiers = ["very", "really", "quite", "rather", "so", "truly", "", "", ""]

    /// One clause with the given polarity; negated half the time in `negationRate`.
    static func clause(positive wanted: Bool, rng: inout SeededGenerator) -> String {
        let negate = rng.uniform() < 0.2
        let polarityOfWord = negate ? !wanted : wanted
        let adjective = pick(polarityOfWord ? positive : negative, &rng)
        let thing = pick(things, &rng)
        let intensifier = pick(intensifiers, &rng)
        let verb = negate ? pick(["was not", "wasn't", "was never", "is not"], &rng) : pick(["was", "is", "felt"], &rng)
        return ["the", thing, verb, intensifier, adjective].filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func pick(_ words: [String], _ rng: inout SeededGenerator) -> String {
        words[rng.int(below: words.count)]
    }

    /// `count` reviews with labels (1 positive, 0 negative), balanced in expectation.
    public static func generate(count: Int, rng: inout SeededGenerator) -> (texts: [String], labels: [Int]) {
        var texts: [String] = [], labels: [Int] = []
        for _ in 0..<count {
            let label = rng.uniform() < 0.5 ? 1 : 0
            var parts = [pick(openers, &rng)]
            if rng.uniform() < 0.15 {   // contrast: the first clause disagrees, the second decides
                parts.append(clause(positive: label == 0, rng: &rng) + " but")
            }
            parts.append(clause(positive: label == 1, rng: &rng))
            let filler = pick(fillers, &rng)
            let text = (parts.filter { !$0.isEmpty }.joined(separator: " ") + (filler.isEmpty ? "" : ", \(filler)")) + "."
            texts.append(text.prefix(1).uppercased() + text.dropFirst())
            labels.append(rng.uniform() < 0.05 ? 1 - label : label)
        }
        return (texts, labels)
    }
}

extension Dataset {
    /// The synthetic review set (see `SyntheticReviews`): `count` texts as token ids of `length`,
    /// classes `negative`, `positive`. The same seed gives the same set.
    public static func reviews(count: Int = 2_000, length: Int = 24, seed: UInt64 = 2024) throws(DatasetError) -> Dataset {
        guard count >= 2, count <= 1_000_000 else {
            throw .invalidValue(field: "n", expected: "an integer from 2 to 1000000", got: "\(count)")
        }
        var rng = SeededGenerator(seed: seed)
        let (texts, labels) = SyntheticReviews.generate(count: count, rng: &rng)
        return try text(name: "reviews", texts: texts, labels: labels, classNames: ["negative", "positive"],
                        vocabularySize: 1_000, length: length)
    }
}
